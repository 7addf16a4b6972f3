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

/** A quoted literal: engines quote the values they refuse ('…', "…", `…`), escapes included. */
const QUOTED_LITERAL = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
/** A store's message can run long (ClickHouse appends the failing row); logs and headers need the gist. */
const MAX_REDACTED_LENGTH = 500;

/**
 * A store error's message with every quoted literal replaced by `'…'`, for logs and dead-letter
 * headers: Postgres and ClickHouse quote the offending value ("invalid input syntax for type uuid:
 * "…"", "Column values: entity_id = '…'"), and a value may be personal data. The SQLSTATE or
 * ClickHouse code, when the error has one, comes first.
 */
export function storeErrorSummary(error: unknown): string {
  const message = errorMessage(error).replace(QUOTED_LITERAL, "'…'");
  const code = (error as { code?: unknown } | null)?.code;
  const summary = typeof code === 'string' && code !== '' ? `[${code}] ${message}` : message;
  return summary.length > MAX_REDACTED_LENGTH ? `${summary.slice(0, MAX_REDACTED_LENGTH - 1)}…` : summary;
}
