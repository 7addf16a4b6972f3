import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { toYaml } from './yaml.util';

describe('toYaml', () => {
  it('writes JSON values that YAML reads back unchanged', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON has no -0: both sides compare in JSON's terms.
        const json = JSON.parse(JSON.stringify(value)) as unknown;
        expect(parseYaml(toYaml(json))).toEqual(json);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    'true',
    'No',
    'null',
    '~',
    '1.0',
    '3.0.0',
    '',
    ' leading',
    'trailing ',
    'a: b',
    'a #b',
    '#/components/schemas/x',
    '- item',
    '"quoted"',
    'tab\there',
    'two\nlines',
    'two\n\n  indented\nlines',
    'ends with a newline\n',
    '\nstarts with one',
    'it’s “typographic” – ok',
  ])('keeps the string %j, as a value and as a key', (text) => {
    expect(parseYaml(toYaml({ [text]: text, list: [text] }))).toEqual({ [text]: text, list: [text] });
  });

  it('writes plain words plainly and prose as a literal block', () => {
    expect(toYaml({ topic: 'activity.events.v1', $ref: '#/x', count: 12, ok: false, none: null })).toBe(
      'topic: activity.events.v1\n$ref: "#/x"\ncount: 12\nok: false\nnone: null\n',
    );
    expect(toYaml({ a: { description: 'First line.\n\nSecond line.' } })).toBe(
      'a:\n  description: |-\n    First line.\n\n    Second line.\n',
    );
  });

  it('writes nested sequences and empty collections', () => {
    const value = { list: [[1, 2], { a: [] }, {}], empty: {} };
    expect(toYaml(value)).toBe('list:\n- - 1\n  - 2\n- a: []\n- {}\nempty: {}\n');
    expect(parseYaml(toYaml(value))).toEqual(value);
  });

  it('leaves out undefined properties, and refuses what JSON cannot hold', () => {
    expect(toYaml({ a: 1, b: undefined })).toBe('a: 1\n');
    expect(() => toYaml({ n: Number.NaN })).toThrow(TypeError);
    expect(() => toYaml([undefined])).toThrow(TypeError);
    expect(() => toYaml({ f: () => 1 })).toThrow(TypeError);
  });
});
