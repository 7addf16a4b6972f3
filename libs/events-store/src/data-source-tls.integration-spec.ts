import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { createEventsDataSource } from './data-source';

// DATABASE_URL's sslmode reaches node-postgres through TypeORM (which passes the URL on as a
// connection string): a deployment's `?sslmode=verify-full` is not silently dropped. The local
// stack's Postgres serves no TLS, so asking for it must fail, and turning it off must work.
describe('DATABASE_URL sslmode', () => {
  const databaseUrl = stackEnvironmentFromEnv().databaseUrl;
  const withSslMode = (mode: string) => {
    const url = new URL(databaseUrl);
    url.searchParams.set('sslmode', mode);
    return url.toString();
  };

  it.each(['require', 'verify-full'])('sslmode=%s refuses a server without TLS', async (mode) => {
    const dataSource = createEventsDataSource({ url: withSslMode(mode), poolSize: 1 });
    await expect(dataSource.initialize()).rejects.toThrow('The server does not support SSL connections');
  });

  it('sslmode=disable connects in the clear', async () => {
    const dataSource = createEventsDataSource({ url: withSslMode('disable'), poolSize: 1 });
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(row).toEqual({ ssl: false });
    } finally {
      await dataSource.destroy();
    }
  });
});
