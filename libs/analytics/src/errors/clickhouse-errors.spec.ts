import { ClickHouseError } from '@clickhouse/client';
import { classifyClickHouseError } from './clickhouse-errors';

const server = (code: number, type: string) =>
  new ClickHouseError({ message: 'boom', code: String(code), type });

describe('classifyClickHouseError', () => {
  it.each([
    [server(469, 'VIOLATED_CONSTRAINT'), 'deterministic'],
    [server(27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'), 'deterministic'],
    [server(41, 'CANNOT_PARSE_DATETIME'), 'deterministic'],
    [server(131, 'TOO_LARGE_STRING_SIZE'), 'deterministic'],
    [server(252, 'TOO_MANY_PARTS'), 'transient'],
    [server(241, 'MEMORY_LIMIT_EXCEEDED'), 'transient'],
    [server(60, 'UNKNOWN_TABLE'), 'transient'],
    [server(516, 'AUTHENTICATION_FAILED'), 'transient'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:18123'), { code: 'ECONNREFUSED' }), 'transient'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [new Error('Timeout error.'), 'transient'],
    [server(1002, 'UNKNOWN_EXCEPTION'), 'unknown'],
    [new Error('something else entirely'), 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (error, expected) => {
    expect(classifyClickHouseError(error)).toBe(expected);
  });
});
