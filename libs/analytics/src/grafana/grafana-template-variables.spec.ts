import fc from 'fast-check';
import {
  applyConditionalAll,
  encodeURIComponentStrict,
  GrafanaInterpolationError,
  interpolateTemplateVariables,
  type TemplateVariables,
} from './grafana-template-variables';

const options = ['app.viewed', 'search.performed', "it's"];
const all: TemplateVariables = { activity_type: { options, selected: 'all' } };
const one: TemplateVariables = { activity_type: { options, selected: ['app.viewed'] } };
const two: TemplateVariables = { activity_type: { options, selected: ['app.viewed', "it's"] } };

describe('applyConditionalAll', () => {
  const sql =
    'WHERE $__conditionalAll(activity_type IN (${activity_type:singlequote}), $activity_type) AND x';

  it('drops the condition (1=1) when the variable is All or has nothing selected', () => {
    expect(applyConditionalAll(sql, all)).toBe('WHERE 1=1 AND x');
    expect(applyConditionalAll(sql, { activity_type: { options, selected: [] } })).toBe('WHERE 1=1 AND x');
  });

  it('keeps the condition for a selection, with the variable still to interpolate', () => {
    expect(applyConditionalAll(sql, one)).toBe('WHERE activity_type IN (${activity_type:singlequote}) AND x');
  });

  it('accepts ${var} as the second argument and handles every call of the query', () => {
    const twice =
      '$__conditionalAll(a IN (f(1), 2), ${activity_type}) OR $__conditionalAll(b, $activity_type)';
    expect(applyConditionalAll(twice, all)).toBe('1=1 OR 1=1');
    expect(applyConditionalAll(twice, one)).toBe('a IN (f(1), 2) OR b');
  });

  it('keeps the condition when the second argument is no known variable', () => {
    expect(applyConditionalAll('$__conditionalAll(a = 1, $other)', all)).toBe('a = 1');
  });

  it('leaves a call without two arguments, or never closed, as it is (as the plugin does)', () => {
    expect(applyConditionalAll('$__conditionalAll(a = 1)', all)).toBe('$__conditionalAll(a = 1)');
    expect(applyConditionalAll('$__conditionalAll(a = 1, $activity_type', all)).toBe(
      '$__conditionalAll(a = 1, $activity_type',
    );
  });
});

describe('interpolateTemplateVariables', () => {
  it('single-quotes each value with ${var:singlequote}, escaping quotes with a backslash', () => {
    expect(interpolateTemplateVariables('IN (${activity_type:singlequote})', two)).toBe(
      "IN ('app.viewed','it\\'s')",
    );
  });

  it('expands All to every option (no custom all value)', () => {
    expect(interpolateTemplateVariables('IN (${activity_type:singlequote})', all)).toBe(
      "IN ('app.viewed','search.performed','it\\'s')",
    );
  });

  it("formats $var and ${var} with the ClickHouse plugin's default (quoted, comma-joined)", () => {
    expect(interpolateTemplateVariables('IN ($activity_type) OR IN (${activity_type})', one)).toBe(
      "IN ('app.viewed') OR IN ('app.viewed')",
    );
  });

  it('supports the sqlstring, csv and raw formats', () => {
    expect(interpolateTemplateVariables('${activity_type:sqlstring}', two)).toBe("'app.viewed','it''s'");
    expect(interpolateTemplateVariables('${activity_type:csv}|${activity_type:raw}', one)).toBe(
      'app.viewed|app.viewed',
    );
  });

  it('leaves names that are not variables, such as the time macros, to the back end', () => {
    const sql = 'toDate($__fromTime) AND ${other:singlequote} AND $activity_types';
    expect(interpolateTemplateVariables(sql, one)).toBe(sql);
  });

  it('refuses a format it does not know rather than guess', () => {
    expect(() => interpolateTemplateVariables('${activity_type:regex}', one)).toThrow(
      GrafanaInterpolationError,
    );
  });
});

describe('the percentencode format (how the dashboard sends its time zone and retention mode)', () => {
  const zone = (value: string): TemplateVariables => ({ tz: { options: [value], selected: [value] } });

  it("encodes as Grafana's encodeURIComponentStrict: also ! ' ( ) *", () => {
    expect(interpolateTemplateVariables("'${tz:percentencode}'", zone('America/New_York'))).toBe(
      "'America%2FNew_York'",
    );
    expect(encodeURIComponentStrict("a'b!(c)*d\\e f")).toBe('a%27b%21%28c%29%2Ad%5Ce%20f');
  });

  it('encodes several values glob-like, as {a,b}', () => {
    expect(interpolateTemplateVariables('${activity_type:percentencode}', two)).toBe(
      '%7Bapp.viewed%2Cit%27s%7D',
    );
  });

  it('refuses a value that is not well-formed Unicode (a lone surrogate)', () => {
    expect(() => interpolateTemplateVariables('${tz:percentencode}', zone('\uD800'))).toThrow(
      GrafanaInterpolationError,
    );
  });

  it('never lets a value out of the quoted literal, and ClickHouse decodes it back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (value) => {
        const literal = interpolateTemplateVariables("'${tz:percentencode}'", zone(value));
        // Only letters, digits, -_.~ and %XX between the quotes: no quote, backslash, newline, $ or {.
        expect(literal).toMatch(/^'(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2})*'$/);
        expect(decodeURIComponent(literal.slice(1, -1))).toBe(value);
      }),
      { numRuns: 500 },
    );
  });
});
