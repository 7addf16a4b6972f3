import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { isAlive } from './processes';
import { stackEnvironmentFromEnv } from './stack-environment';
import { startTestPgBouncer, type TestPgBouncer } from './test-pgbouncer';

jest.setTimeout(60_000);

const { databaseUrl } = stackEnvironmentFromEnv();

describe('a test PgBouncer in transaction pooling mode', () => {
  let bouncer: TestPgBouncer | undefined;
  const clients: Client[] = [];

  const connect = async (url: string) => {
    const client = new Client({ connectionString: url });
    clients.push(client);
    await client.connect();
    return client;
  };
  const backendPid = async (client: Client) =>
    (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await bouncer?.stop();
    bouncer = undefined;
  });

  it('passes one client’s statements to several server connections, never more than the pool', async () => {
    bouncer = await startTestPgBouncer({ serverUrl: databaseUrl, poolSize: 3 });
    expect(bouncer.version).toMatch(/^PgBouncer \d+\.\d+/);
    expect(bouncer.port).not.toBe(6432);
    const url = bouncer.urlFor(databaseUrl);
    await bouncer.fillPool(url);

    const client = await connect(url);
    const seen = new Set<number | undefined>();
    for (let i = 0; i < 6; i++) seen.add(await backendPid(client));
    expect(seen.size).toBeGreaterThan(1);

    // A transaction keeps its server connection to the end.
    await client.query('BEGIN');
    const first = await backendPid(client);
    expect(await backendPid(client)).toBe(first);
    await client.query('COMMIT');

    // Five clients at once still share the three server connections.
    const many = await Promise.all(Array.from({ length: 5 }, () => connect(url)));
    const pids = await Promise.all(many.map(backendPid));
    expect(new Set([...seen, first, ...pids]).size).toBeLessThanOrEqual(3);
  });

  it('checks passwords, lets in the logins it was given, and leaves nothing behind when stopped', async () => {
    const direct = await connect(databaseUrl);
    const login = { user: 'pgbouncer_spec_login', password: 'pass "with" quotes' };
    await direct.query(`DROP ROLE IF EXISTS ${login.user}`);
    await direct.query(`CREATE ROLE ${login.user} LOGIN PASSWORD 'pass "with" quotes'`);
    try {
      bouncer = await startTestPgBouncer({ serverUrl: databaseUrl, logins: [login] });
      const asLogin = new URL(bouncer.urlFor(databaseUrl));
      asLogin.username = login.user;
      asLogin.password = encodeURIComponent(login.password);
      const client = await connect(asLogin.toString());
      expect((await client.query('SELECT current_user AS who')).rows[0]?.who).toBe(login.user);
      await client.end();
      clients.splice(clients.indexOf(client), 1);

      asLogin.password = 'wrong';
      await expect(connect(asLogin.toString())).rejects.toThrow(/authentication failed/);
      clients.pop();

      const { pid, dir } = bouncer;
      await bouncer.stop();
      bouncer = undefined;
      expect(isAlive(pid)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      await direct.query(`DROP ROLE IF EXISTS ${login.user}`);
    }
  });
});
