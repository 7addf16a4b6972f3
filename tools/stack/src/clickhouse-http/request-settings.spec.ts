import { parseEndpointQuery, quoteIdentifier, setStatement } from './request-settings';

describe('reading a ClickHouse HTTP request', () => {
  it('joins the query parameter and the body, and separates parameters, settings and HTTP options', () => {
    const search = new URLSearchParams({
      query: 'INSERT INTO t FORMAT JSONEachRow',
      query_id: 'q-1',
      database: 'analytics',
      param_user: 'u-1',
      enable_http_compression: '1',
      max_threads: '2',
      date_time_input_format: 'best_effort',
      wait_end_of_query: '1',
    });
    expect(parseEndpointQuery(search, '{"a":1}')).toEqual({
      sql: 'INSERT INTO t FORMAT JSONEachRow\n{"a":1}',
      params: { user: 'u-1' },
      database: 'analytics',
      defaultFormat: 'TabSeparated',
      queryId: 'q-1',
      settings: { max_threads: '2', date_time_input_format: 'best_effort' },
      compressResponse: true,
    });
  });

  it('rejects an empty query, a malformed setting name and native compression', () => {
    expect(parseEndpointQuery(new URLSearchParams(), '  ')).toMatchObject({ code: 62, httpStatus: 400 });
    expect(
      parseEndpointQuery(new URLSearchParams({ 'bad name;': '1', query: 'SELECT 1' }), ''),
    ).toMatchObject({
      code: 115,
      name: 'UNKNOWN_SETTING',
    });
    expect(parseEndpointQuery(new URLSearchParams({ decompress: '1', query: 'SELECT 1' }), '')).toMatchObject(
      {
        message: expect.stringContaining('native block compression'),
      },
    );
  });

  it('writes SET statements that keep values inside their literal', () => {
    expect(setStatement('max_threads', '4')).toBe('SET max_threads = 4');
    expect(setStatement('date_time_input_format', 'best_effort')).toBe(
      "SET date_time_input_format = 'best_effort'",
    );
    expect(setStatement('x', "a' ; DROP TABLE t; --\\")).toBe("SET x = 'a\\' ; DROP TABLE t; --\\\\'");
    expect(quoteIdentifier('we`ird')).toBe('`we\\`ird`');
  });
});
