import { createLogger, errorMessage, type LogLevel } from './logger';

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
