import { stackEnvironmentFromEnv } from './stack-environment';

describe('the engines under test', () => {
  it('are read from the variables the stack sets', () => {
    expect(
      stackEnvironmentFromEnv({
        KAFKA_BROKERS: 'a:1,b:2',
        DATABASE_URL: 'postgres://x/y',
        CLICKHOUSE_URL: 'http://c:3',
      }),
    ).toEqual({ kafkaBrokers: ['a:1', 'b:2'], databaseUrl: 'postgres://x/y', clickhouseUrl: 'http://c:3' });
  });

  it('name the missing variables and how to get them', () => {
    expect(() => stackEnvironmentFromEnv({ KAFKA_BROKERS: 'a:1' })).toThrow(
      /^DATABASE_URL, CLICKHOUSE_URL not set: run the tests with `npm test`/,
    );
  });
});
