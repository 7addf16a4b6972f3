import { failureBody, toClickHouseFailure } from './clickhouse-error';

describe('ClickHouse errors over HTTP', () => {
  it("keeps the engine's code, name and message, with the server's status for the code", () => {
    const failure = toClickHouseFailure(
      new Error("Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)"),
    );
    expect(failure).toEqual({
      code: 60,
      name: 'UNKNOWN_TABLE',
      message: "Unknown table expression identifier 'x'.",
      httpStatus: 404,
    });
    expect(failureBody(failure, '26.7')).toBe(
      "Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE) (version 26.7)\n",
    );
  });

  it('answers 500 for codes without a more specific status', () => {
    expect(
      toClickHouseFailure(
        new Error('Code: 241. DB::Exception: Memory limit exceeded. (MEMORY_LIMIT_EXCEEDED)'),
      ),
    ).toMatchObject({
      code: 241,
      httpStatus: 500,
    });
  });

  it('falls back to the code an error carries, or to a generic one', () => {
    expect(
      toClickHouseFailure(Object.assign(new Error('bind failed'), { clickhouseCode: 457 })),
    ).toMatchObject({ code: 457, httpStatus: 400 });
    expect(toClickHouseFailure('something odd')).toEqual({
      code: 1001,
      name: 'STD_EXCEPTION',
      message: 'something odd',
      httpStatus: 500,
    });
  });
});
