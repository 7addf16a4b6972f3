export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * One JSON object per line on stdout (stderr for errors), so that a log shipper needs no parser of
 * ours. Fields are the caller's responsibility: ids of requests and partitions, never user ids or
 * anything from an event's payload.
 */
export function createLogger(
  service: string,
  write: (level: LogLevel, line: string) => void = (level, line) =>
    (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
): Logger {
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    write(level, JSON.stringify({ time: new Date().toISOString(), level, service, message, ...fields }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** An error as a log field: its message, not its stack or the objects hanging off it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
