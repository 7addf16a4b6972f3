/** A failure reported the way a ClickHouse server reports it over HTTP. */
export interface ClickHouseFailure {
  code: number;
  /** ClickHouse's name for the code, e.g. SYNTAX_ERROR. */
  name: string;
  message: string;
  httpStatus: number;
}

// The status codes a ClickHouse server answers with for common errors (everything else is 500).
const HTTP_STATUS_BY_CODE: Record<number, number> = {
  27: 400, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  41: 400, // CANNOT_PARSE_DATETIME
  42: 400, // NUMBER_OF_ARGUMENTS_DOESNT_MATCH
  43: 400, // ILLEGAL_TYPE_OF_ARGUMENT
  46: 404, // UNKNOWN_FUNCTION
  47: 400, // UNKNOWN_IDENTIFIER
  53: 400, // TYPE_MISMATCH
  60: 404, // UNKNOWN_TABLE
  62: 400, // SYNTAX_ERROR
  73: 400, // UNKNOWN_FORMAT
  81: 404, // UNKNOWN_DATABASE
  115: 400, // UNKNOWN_SETTING
  117: 400, // INCORRECT_DATA
  164: 403, // READONLY
  192: 401, // UNKNOWN_USER
  456: 400, // UNKNOWN_QUERY_PARAMETER
  457: 400, // BAD_QUERY_PARAMETER
};

const CODE_PATTERN = /^Code: (\d+)\. DB::Exception: ([\s\S]*?)\s*(?:\(([A-Z][A-Z0-9_]+)\))?\s*$/;

/** Reads the code and name out of the engine's "Code: N. DB::Exception: … (NAME)" messages. */
export function toClickHouseFailure(error: unknown): ClickHouseFailure {
  // Duck-typed: errors from the native binding may come from another realm (under jest, for one).
  const message = (error as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : String(error);
  const match = CODE_PATTERN.exec(text.trim());
  const knownCode = (error as { clickhouseCode?: unknown })?.clickhouseCode;
  if (match) {
    const code = Number(match[1]);
    return failure(code, match[3] ?? 'UNKNOWN_EXCEPTION', match[2] ?? text);
  }
  if (typeof knownCode === 'number') return failure(knownCode, 'UNKNOWN_EXCEPTION', text);
  // Not the engine's own error (a bad request to the endpoint, a binding failure…).
  return failure(1001, 'STD_EXCEPTION', text);
}

export function failure(code: number, name: string, message: string): ClickHouseFailure {
  return { code, name, message, httpStatus: HTTP_STATUS_BY_CODE[code] ?? 500 };
}

/** The body a ClickHouse server sends with a failure; @clickhouse/client parses code, message and name from it. */
export function failureBody(failure: ClickHouseFailure, version: string): string {
  return `Code: ${failure.code}. DB::Exception: ${failure.message} (${failure.name}) (version ${version})\n`;
}
