import fc from 'fast-check';
import { Readable } from 'node:stream';
import { ExportStream } from './activity.export';
import {
  copyText,
  csvRow,
  defused,
  ExportFormatter,
  FORMULA_START,
  isoTime,
  ndjsonRow,
} from './activity.export-format';

/**
 * COPY's text format as Postgres writes a value (CopyAttributeOutText): a backslash doubled, six
 * control characters as escapes, every other character as itself. The integration tests read the
 * real thing; this lets the properties here run without a database.
 */
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};
const asCopyText = (text: string) => text.replace(/[\\\b\f\n\r\t\v]/g, (c) => COPY_ESCAPES[c] ?? c);

/** A timestamptz as Postgres prints it in UTC with DateStyle ISO: no trailing zeros in the fraction. */
function asTimestampText(ms: number, microseconds = 0): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const two = (n: number) => String(n).padStart(2, '0');
  const fraction =
    `${String(date.getUTCMilliseconds()).padStart(3, '0')}${String(microseconds).padStart(3, '0')}`.replace(
      /0+$/,
      '',
    );
  return (
    `${String(year === 0 ? 1 : year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}` +
    `${fraction ? `.${fraction}` : ''}+00${year === 0 ? ' BC' : ''}`
  );
}

/** Texts as producers may send them: any character but NUL, which Postgres text cannot hold. */
const text = fc.string({ unit: 'binary', maxLength: 12 }).filter((value) => !value.includes('\0'));
const instant = fc.integer({
  min: new Date('0000-01-01T00:00:00Z').getTime(),
  max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
});

describe('the export formatter', () => {
  it('reads every text back from COPY text format (property)', () => {
    fc.assert(fc.property(text, (value) => expect(copyText(asCopyText(value))).toBe(value)));
    expect(copyText('a\\\\b\\tc\\nd\\re\\bf\\fg\\vh')).toBe('a\\b\tc\nd\re\bf\fg\vh');
  });

  it('writes every instant of years 0000–9999 as the API does, microseconds cut (property)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 999 }), (ms, micros) =>
        expect(isoTime(asTimestampText(ms, micros))).toBe(new Date(ms).toISOString()),
      ),
    );
    expect(isoTime('2026-11-22 01:53:46.123999+00')).toBe('2026-11-22T01:53:46.123Z');
    expect(isoTime('2026-11-22 01:53:46.5+00')).toBe('2026-11-22T01:53:46.500Z');
    expect(isoTime('2026-11-22 01:53:46+00')).toBe('2026-11-22T01:53:46.000Z');
    expect(isoTime('0001-01-01 00:00:00+00 BC')).toBe('0000-01-01T00:00:00.000Z');
    expect(isoTime('0050-06-01 00:00:00.25+00')).toBe('0050-06-01T00:00:00.250Z');
  });

  it('refuses a timestamp in another zone or form rather than guess', () => {
    for (const other of [
      '2026-11-22 01:53:46+01',
      '2026-11-22T01:53:46Z',
      'Sun Nov 22 01:53:46 2026 UTC',
      '',
    ])
      expect(() => isoTime(other)).toThrow(/UTC ISO form/);
  });

  it('defuses exactly what the formula rule matches; the fast path changes nothing (property)', () => {
    const start = fc.constantFrom(
      ...['=', '+', '-', '@', ' ', '\t', '\r', '\n', '"', "'", '\u00a0', '\u2003', '\u3000'],
      ...['\uff02', '\uff07', '\uff1d', '\uff0b', '\uff0d', '\uff20', 'a', 'Z', '0', '9', '/', '_', '.', 'é'],
    );
    const value = fc
      .tuple(fc.array(start, { maxLength: 4 }), text)
      .map(([head, tail]) => head.join('') + tail);
    fc.assert(
      fc.property(value, (v) => expect(defused(v)).toBe(FORMULA_START.test(v) ? `'${v}` : v)),
      { numRuns: 2_000 },
    );
    expect(['=1', ' \u3000"+x', '\tx', '＠a', "'-1"].map(defused)).toEqual([
      "'=1",
      '\' \u3000"+x',
      "'\tx",
      "'＠a",
      "''-1",
    ]);
    expect(['a=1', '1-2', '/x', '', 'é='].map(defused)).toEqual(['a=1', '1-2', '/x', '', 'é=']);
  });

  const fields = [
    '0190f3a0-0000-7000-8000-000000000001',
    '2026-11-22 01:53:46.123+00',
    '2026-11-22 01:53:47+00',
    'user',
    '=u\\t1',
    'app.viewed',
    '\\N',
    'e,1',
    '/services/app-catalog',
    '{"n": -1, "s": "a\\\\"b"}',
    '-5',
  ];

  it('writes a CSV line with Postgres CSV quoting, nulls empty and formulas defused', () => {
    expect(csvRow(fields)).toBe(
      '0190f3a0-0000-7000-8000-000000000001,2026-11-22T01:53:46.123Z,2026-11-22T01:53:47.000Z,user,' +
        `'=u\t1,app.viewed,,"e,1",/services/app-catalog,"{""n"": -1, ""s"": ""a\\""b""}",'-5\n`,
    );
    expect(csvRow([...fields.slice(0, 4), '', ...fields.slice(5)])).toContain(',user,"",app.viewed,');
  });

  it('writes an NDJSON line with the record’s keys, an entity only when both its parts are there', () => {
    const line = ndjsonRow(fields);
    expect(line.endsWith('}\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      id: '0190f3a0-0000-7000-8000-000000000001',
      occurredAt: '2026-11-22T01:53:46.123Z',
      receivedAt: '2026-11-22T01:53:47.000Z',
      actor: { type: 'user', id: '=u\t1' },
      type: 'app.viewed',
      entity: null,
      source: '/services/app-catalog',
      metadata: { n: -1, s: 'a"b' },
      context: -5,
    });
    const withEntity = [...fields.slice(0, 6), 'app', 'e\\n1', ...fields.slice(8, 10), '\\N'];
    expect(JSON.parse(ndjsonRow(withEntity))).toMatchObject({
      entity: { type: 'app', id: 'e\n1' },
      context: null,
    });
  });

  it('refuses a row with the wrong number of columns', () => {
    expect(() => csvRow(fields.slice(1))).toThrow(/10 columns, not 11/);
    expect(() => ndjsonRow([...fields, 'x'])).toThrow(/12 columns, not 11/);
  });

  it('gives the same output however the COPY output is cut into chunks (property)', () => {
    const row = fc
      .tuple(text, text, fc.option(text, { nil: null }))
      .map(([actorId, source, entityId]) =>
        [
          fields[0],
          fields[1],
          fields[2],
          'user',
          asCopyText(actorId),
          'app.viewed',
          entityId === null ? '\\N' : 'app',
          entityId === null ? '\\N' : asCopyText(entityId),
          asCopyText(source),
          asCopyText(JSON.stringify({ actorId })),
          '\\N',
        ].join('\t'),
      );
    fc.assert(
      fc.property(
        fc.constantFrom('csv' as const, 'ndjson' as const),
        fc.array(row, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (format, rows, cuts) => {
          const bytes = Buffer.from(rows.map((r) => `${r}\n`).join(''));
          const whole = new ExportFormatter(format);
          const expected = whole.push(bytes);
          const pieces = new ExportFormatter(format);
          const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          let out = '';
          let from = 0;
          for (const to of [...at, bytes.length]) {
            out += pieces.push(bytes.subarray(from, to));
            from = to;
          }
          pieces.end();
          expect(out).toBe(expected);
          expect(pieces.rows).toBe(rows.length);
          if (format === 'ndjson') expect(out.split('\n').length - 1).toBe(rows.length);
        },
      ),
    );
  });

  it('fails when the COPY output ends inside a row', () => {
    const formatter = new ExportFormatter('ndjson');
    expect(formatter.push(Buffer.from(fields.join('\t')))).toBe('');
    expect(() => formatter.end()).toThrow(/ended inside a row/);
  });

  it('starts a CSV with its header and NDJSON with nothing', () => {
    expect(ExportFormatter.header('csv')).toBe(
      'id,occurred_at,received_at,actor_type,actor_id,activity_type,entity_type,entity_id,source,metadata,context\n',
    );
    expect(ExportFormatter.header('ndjson')).toBe('');
  });
});

describe('an export stream fed rows it cannot format', () => {
  async function failure(chunks: string[]): Promise<{ error: Error; finishes: (Error | undefined)[] }> {
    const finishes: (Error | undefined)[] = [];
    const stream = new ExportStream(
      Readable.from(chunks.map((c) => Buffer.from(c))),
      'csv',
      async (error) => {
        finishes.push(error);
      },
    );
    const error = await new Promise<Error>((resolve) => {
      stream.once('error', resolve);
      stream.resume();
    });
    // Let the source's end, already on its way, arrive: the stream must not finish a second time.
    await new Promise((resolve) => setImmediate(resolve));
    return { error, finishes };
  }

  it('fails, and closes its connection, on a row of the wrong shape', async () => {
    const { error, finishes } = await failure(['not\ta\trow\n']);
    expect(error.message).toMatch(/3 columns, not 11/);
    expect(finishes).toStrictEqual([error]);
  });

  it('fails, and closes its connection, when the COPY output ends inside a row', async () => {
    const { error, finishes } = await failure(['a\tpartial\trow']);
    expect(error.message).toMatch(/ended inside a row/);
    expect(finishes).toStrictEqual([error]);
  });
});
