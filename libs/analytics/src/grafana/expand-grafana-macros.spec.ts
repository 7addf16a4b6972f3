import { expandGrafanaMacros, expandGrafanaQuery, GrafanaMacroError } from './expand-grafana-macros';

// The plugin's own examples (pkg/macros/macros_test.go): from 2014-11-12T11:45:26.371Z to 2015-11-12T11:45:26.371Z.
const range = { from: new Date('2014-11-12T11:45:26.371Z'), to: new Date('2015-11-12T11:45:26.371Z') };
const FROM_S = 1415792726;
const TO_S = 1447328726;

describe('expandGrafanaMacros', () => {
  it('expands $__timeFilter(col) to whole seconds, both ends included', () => {
    expect(expandGrafanaMacros('WHERE $__timeFilter(occurred_at)', range)).toBe(
      `WHERE occurred_at >= toDateTime(${FROM_S}) AND occurred_at <= toDateTime(${TO_S})`,
    );
  });

  it('expands $__timeFilter_ms(col) to milliseconds', () => {
    expect(expandGrafanaMacros('$__timeFilter_ms(t)', range)).toBe(
      't >= fromUnixTimestamp64Milli(1415792726371) AND t <= fromUnixTimestamp64Milli(1447328726371)',
    );
  });

  it("expands $__dateFilter(col) to the range's UTC days", () => {
    expect(expandGrafanaMacros('$__dateFilter(day)', range)).toBe(
      "day >= toDate('2014-11-12') AND day <= toDate('2015-11-12')",
    );
    const aroundMidnight = {
      from: new Date('2026-08-01T00:00:00Z'),
      to: new Date('2026-08-31T23:59:59.999Z'),
    };
    expect(expandGrafanaMacros('$__dateFilter(t.day)', aroundMidnight)).toBe(
      "t.day >= toDate('2026-08-01') AND t.day <= toDate('2026-08-31')",
    );
  });

  it('expands $__fromTime, $__toTime and their _ms forms, which take no argument', () => {
    expect(expandGrafanaMacros('toDate($__fromTime, $__toTime) $__fromTime_ms $__toTime_ms', range)).toBe(
      `toDate(toDateTime(${FROM_S}), toDateTime(${TO_S})) fromUnixTimestamp64Milli(1415792726371) fromUnixTimestamp64Milli(1447328726371)`,
    );
    expect(expandGrafanaMacros('$__fromTime()', range)).toBe(`toDateTime(${FROM_S})`);
  });

  it('expands $__timeFrom(col), $__timeTo(col), $__dateTimeFilter(d, t) and its alias $__dt', () => {
    expect(expandGrafanaMacros('$__timeFrom(t) AND $__timeTo(t)', range)).toBe(
      `t >= toDateTime(${FROM_S}) AND t <= toDateTime(${TO_S})`,
    );
    const expected =
      "(d >= toDate('2014-11-12') AND d <= toDate('2015-11-12')) AND " +
      `(t >= toDateTime(${FROM_S}) AND t <= toDateTime(${TO_S}))`;
    expect(expandGrafanaMacros('$__dateTimeFilter(d, t)', range)).toBe(expected);
    expect(expandGrafanaMacros('$__dt( d ,t )', range)).toBe(expected);
  });

  it('truncates seconds (as Go does) rather than rounding', () => {
    const late = { from: new Date(999), to: new Date(1_999) };
    expect(expandGrafanaMacros('$__fromTime $__toTime', late)).toBe('toDateTime(0) toDateTime(1)');
  });

  it('leaves macros in comments and quoted text alone', () => {
    const sql = [
      '-- $__timeFilter(x) in a comment',
      "/* $__fromTime */ SELECT '$__toTime', 'it\\'s $__toTime', 'a''$__toTime', \"$__x\", `$__y`",
      '$__fromTime',
    ].join('\n');
    expect(expandGrafanaMacros(sql, range)).toBe(sql.replace(/\$__fromTime$/, `toDateTime(${FROM_S})`));
  });

  it('refuses macros it does not support, wrong argument counts, unclosed calls and bad ranges', () => {
    expect(() => expandGrafanaMacros('$__timeInterval(t)', range)).toThrow(
      /\$__timeInterval is not supported/,
    );
    expect(() => expandGrafanaMacros('$__timeFilter()', range)).toThrow(/expects 1 argument/);
    expect(() => expandGrafanaMacros('$__timeFilter(a, b)', range)).toThrow(/expects 1 argument\(s\), got 2/);
    expect(() => expandGrafanaMacros('$__fromTime(a)', range)).toThrow(/expects 0/);
    expect(() => expandGrafanaMacros('$__dateFilter(day', range)).toThrow(/never closed/);
    expect(() => expandGrafanaMacros('1', { from: range.to, to: range.from })).toThrow(GrafanaMacroError);
    expect(() => expandGrafanaMacros('1', { from: new Date('nope'), to: range.to })).toThrow(
      GrafanaMacroError,
    );
  });
});

describe('expandGrafanaQuery', () => {
  const sql =
    'SELECT 1 WHERE $__dateFilter(day) AND $__conditionalAll(activity_type IN (${activity_type:singlequote}), $activity_type)';
  const options = ['app.viewed', 'search.performed'];

  it('applies $__conditionalAll, then the variables, then the macros', () => {
    const dates = "day >= toDate('2014-11-12') AND day <= toDate('2015-11-12')";
    expect(
      expandGrafanaQuery(sql, { range, variables: { activity_type: { options, selected: 'all' } } }),
    ).toBe(`SELECT 1 WHERE ${dates} AND 1=1`);
    expect(
      expandGrafanaQuery(sql, {
        range,
        variables: { activity_type: { options, selected: ['search.performed'] } },
      }),
    ).toBe(`SELECT 1 WHERE ${dates} AND activity_type IN ('search.performed')`);
  });

  it('does not expand a macro smuggled in through a variable value: it is quoted', () => {
    const variables = { activity_type: { options, selected: ['$__fromTime'] } };
    expect(expandGrafanaQuery('IN (${activity_type:singlequote})', { range, variables })).toBe(
      "IN ('$__fromTime')",
    );
  });
});
