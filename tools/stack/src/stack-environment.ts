/** The engines a test runs against, from the variables `npm test` (stack run) sets. */
export interface StackEnvironment {
  kafkaBrokers: string[];
  databaseUrl: string;
  clickhouseUrl: string;
}

export function stackEnvironmentFromEnv(env: NodeJS.ProcessEnv = process.env): StackEnvironment {
  const missing = ['KAFKA_BROKERS', 'DATABASE_URL', 'CLICKHOUSE_URL'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(', ')} not set: run the tests with \`npm test\`, or start the engines with \`npm run stack:up\` and export the variables it prints`,
    );
  }
  return {
    kafkaBrokers: (env['KAFKA_BROKERS'] as string).split(','),
    databaseUrl: env['DATABASE_URL'] as string,
    clickhouseUrl: env['CLICKHOUSE_URL'] as string,
  };
}
