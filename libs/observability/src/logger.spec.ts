import fc from 'fast-check';
import { createLogger, errorMessage, storeErrorSummary, type LogLevel } from './logger';

describe('createLogger', () => {
  it('writes one JSON object per line with the time, level, service, message and fields', () => {
    const lines: [LogLevel, string][] = [];
    const logger = createLogger('ingest-worker', (level, line) => lines.push([level, line]));
    logger.info('batch written', { rows: 3 });
    logger.warn('retrying');
    logger.error('failed', { partition: 2 });
    expect(lines.map(([level]) => level)).toEqual(['info', 'warn', 'error']);
    const first = JSON.parse(lines[0]?.[1] ?? '');
    expect(first).toMatchObject({
      level: 'info',
      service: 'ingest-worker',
      message: 'batch written',
      rows: 3,
    });
    expect(Number.isNaN(Date.parse(first.time))).toBe(false);
  });

  it('writes to stdout by default, and errors to stderr', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const logger = createLogger('svc');
      logger.info('to stdout');
      logger.error('to stderr');
      expect(String(out.mock.calls[0]?.[0])).toContain('"to stdout"');
      expect(String(err.mock.calls[0]?.[0])).toContain('"to stderr"');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it('reduces an error to its message', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
  });
});

describe('storeErrorSummary', () => {
  const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

  it('puts the code first and replaces every quoted value', () => {
    expect(storeErrorSummary(coded('22P02', 'invalid input syntax for type uuid: "u_secret"'))).toBe(
      "[22P02] invalid input syntax for type uuid: '…'",
    );
    expect(
      storeErrorSummary(
        coded(
          '469',
          "Constraint `fits` for table x is violated. Column values: entity_id = 'app_\\'secret'.",
        ),
      ),
    ).toBe("[469] Constraint '…' for table x is violated. Column values: entity_id = '…'.");
  });

  it('keeps a message without a code or quotes as it is, and cuts a long one', () => {
    expect(storeErrorSummary(new Error('Connection terminated unexpectedly'))).toBe(
      'Connection terminated unexpectedly',
    );
    expect(storeErrorSummary(new Error('x'.repeat(2_000)))).toHaveLength(500);
  });

  it('never lets a quoted value through, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.constantFrom("'", '"'), (value, quote) => {
        const escaped = value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);
        const summary = storeErrorSummary(new Error(`bad value: ${quote}${escaped}${quote} in row`));
        return summary === "bad value: '…' in row";
      }),
      { numRuns: 1_000 },
    );
  });
});
