/*
 * (The kinds are @chronicle/kafka's StoreFailureKind, which acts on them; a store library names them
 * without depending on the Kafka library.)
 *
 * What a failed insert into ClickHouse means for the rows in it, by the server's error code
 * (`X-ClickHouse-Exception-Code`, parsed by @clickhouse/client into ClickHouseError.code):
 * - the rows (deterministic): a value that does not parse or fit its column, or breaks a constraint;
 * - the server (transient): timeouts, network, memory, too many parts or queries, read-only replicas,
 *   an insert of unknown status; and the setup, which no row fixes: a missing database, table or
 *   column (migrations not applied), authentication, access;
 * - a Node system error (ECONNREFUSED, ECONNRESET, …) or the client's own timeout: transient;
 * - any other code or error: unknown.
 */

const DETERMINISTIC = new Map<number, string>([
  [6, 'CANNOT_PARSE_TEXT'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [53, 'TYPE_MISMATCH'],
  [69, 'ARGUMENT_OUT_OF_BOUND'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [407, 'DECIMAL_OVERFLOW'],
  [469, 'VIOLATED_CONSTRAINT'],
]);

const TRANSIENT = new Map<number, string>([
  [3, 'UNEXPECTED_END_OF_FILE'],
  [16, 'NO_SUCH_COLUMN_IN_TABLE'],
  [60, 'UNKNOWN_TABLE'],
  [81, 'UNKNOWN_DATABASE'],
  [159, 'TIMEOUT_EXCEEDED'],
  [160, 'TOO_SLOW'],
  [164, 'READONLY'],
  [192, 'UNKNOWN_USER'],
  [193, 'WRONG_PASSWORD'],
  [194, 'REQUIRED_PASSWORD'],
  [202, 'TOO_MANY_SIMULTANEOUS_QUERIES'],
  [209, 'SOCKET_TIMEOUT'],
  [210, 'NETWORK_ERROR'],
  [236, 'ABORTED'],
  [241, 'MEMORY_LIMIT_EXCEEDED'],
  [242, 'TABLE_IS_READ_ONLY'],
  [252, 'TOO_MANY_PARTS'],
  [285, 'TOO_FEW_LIVE_REPLICAS'],
  [319, 'UNKNOWN_STATUS_OF_INSERT'],
  [394, 'QUERY_WAS_CANCELLED'],
  [425, 'SYSTEM_ERROR'],
  [497, 'ACCESS_DENIED'],
  [516, 'AUTHENTICATION_FAILED'],
  [999, 'KEEPER_EXCEPTION'],
  [1000, 'POCO_EXCEPTION'],
]);

const CLIENT_TRANSIENT_MESSAGE = /timeout|socket hang up|ECONN|EPIPE|network/i;

export function classifyClickHouseError(error: unknown): 'transient' | 'deterministic' | 'unknown' {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^\d+$/.test(code)) {
    const number = Number(code);
    if (DETERMINISTIC.has(number)) return 'deterministic';
    if (TRANSIENT.has(number)) return 'transient';
    return 'unknown';
  }
  // A Node system error carries a string code (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, …).
  if (typeof code === 'string' && code !== '') return 'transient';
  const message = error instanceof Error ? error.message : String(error);
  return CLIENT_TRANSIENT_MESSAGE.test(message) ? 'transient' : 'unknown';
}
