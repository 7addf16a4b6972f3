import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { findProcessesMentioning, isAlive, spawnDaemon, stopProcess } from './processes';
import { findRepoRoot } from './stack-config';
import { waitFor } from './wait-for';

export interface PgBouncerLogin {
  user: string;
  password: string;
}

export interface TestPgBouncerOptions {
  /** The Postgres server behind it, e.g. the stack's DATABASE_URL; its login is always let in. */
  serverUrl: string;
  /** More logins clients may use (PgBouncer checks passwords itself, then logs in with them). */
  logins?: PgBouncerLogin[];
  /**
   * Server connections per database and login (default 2): few, so that one client's statements
   * really go to several server connections.
   */
  poolSize?: number;
}

export interface TestPgBouncer {
  port: number;
  pid: number;
  /** Its configuration and log; removed when it stops. */
  dir: string;
  /** `PgBouncer 1.18.0` */
  version: string;
  /** `databaseUrl` (same login and database) through PgBouncer instead of straight to the server. */
  urlFor(databaseUrl: string): string;
  /**
   * Opens every server connection of the pool of `databaseUrl`'s database and login (PgBouncer opens
   * them only as clients wait), so that statements spread over all of them from the first.
   */
  fillPool(databaseUrl: string): Promise<void>;
  stop(): Promise<void>;
}

/** The folder of every test PgBouncer; each one's subfolder starts with the pid of the process that owns it. */
const PGBOUNCER_ROOT = join(findRepoRoot(__dirname), '.local', 'pgbouncer');

/**
 * A PgBouncer of one test's own in transaction pooling mode, in front of `serverUrl`'s server, on a
 * free port of 127.0.0.1. Any database name is passed through to the server. Install it with
 * `node tools/bootstrap/ensure-pgbouncer.js`.
 */
export async function startTestPgBouncer(options: TestPgBouncerOptions): Promise<TestPgBouncer> {
  const binary = pgbouncerBinary();
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '';
  await removeOrphans();
  const server = new URL(options.serverUrl);
  const dir = join(PGBOUNCER_ROOT, `${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const poolSize = options.poolSize ?? 2;
  const logins = [
    { user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) },
    ...(options.logins ?? []),
  ];
  writeFileSync(join(dir, 'userlist.txt'), logins.map(userlistLine).join(''), { mode: 0o600 });
  writeFileSync(join(dir, 'pgbouncer.ini'), pgbouncerIni({ dir, port, server, poolSize }), { mode: 0o600 });
  const logFile = join(dir, 'pgbouncer.log');
  // PgBouncer refuses to run as root: as root it reads its files first, then becomes `nobody`.
  const asRoot = process.getuid?.() === 0;
  const pid = spawnDaemon({
    command: binary,
    args: [...(asRoot ? ['-u', 'nobody'] : []), join(dir, 'pgbouncer.ini')],
    logFile,
  });
  const stop = async () => {
    await stopProcess(pid, 'SIGTERM', 5_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const urlFor = (databaseUrl: string) => {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString();
  };
  try {
    const outcome = await waitFor(
      async (): Promise<'up' | 'exited'> => {
        if (!isAlive(pid)) return 'exited';
        await connects(urlFor(options.serverUrl));
        return 'up';
      },
      { timeoutMs: 10_000, intervalMs: 50, what: `PgBouncer on port ${port} to accept connections` },
    );
    if (outcome === 'exited') throw new Error(`PgBouncer exited at start:\n${readFileSync(logFile, 'utf8')}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const fillPool = async (databaseUrl: string) => {
    // Each client in a transaction keeps a server connection: poolSize of them need poolSize.
    const clients = Array.from(
      { length: poolSize },
      () => new Client({ connectionString: urlFor(databaseUrl) }),
    );
    try {
      await Promise.all(clients.map((client) => client.connect()));
      await Promise.all(clients.map((client) => client.query('BEGIN; SELECT 1')));
      await Promise.all(clients.map((client) => client.query('COMMIT')));
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  };
  return { port, pid, dir, version, urlFor, fillPool, stop };
}

function pgbouncerIni(config: { dir: string; port: number; server: URL; poolSize: number }): string {
  return [
    '[databases]',
    // Any database the client names, on the server: tests make a database each.
    `* = host=${config.server.hostname} port=${config.server.port || 5432}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${config.port}`,
    // No Unix socket: a second PgBouncer (or the system's) would collide in its directory.
    'unix_socket_dir =',
    // The server's own scheme; the userlist holds plain passwords, which serve both legs.
    'auth_type = scram-sha-256',
    `auth_file = ${join(config.dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${config.poolSize}`,
    'max_client_conn = 500',
    // Idle server connections are taken in turn rather than the last one used first, so that even a
    // lone client's consecutive statements go to different server connections, as under load.
    'server_round_robin = 1',
    'log_connections = 0',
    'log_disconnections = 0',
    '',
  ].join('\n');
}

/** `"user" "password"`, a double quote doubled inside either. */
function userlistLine(login: PgBouncerLogin): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  return `${quote(login.user)} ${quote(login.password)}\n`;
}

async function connects(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end();
  }
}

/** Debian's package puts it in /usr/sbin, which a user's PATH may leave out. */
function pgbouncerBinary(): string {
  const candidates = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), '/usr/sbin'].map(
    (dir) => join(dir, 'pgbouncer'),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('pgbouncer is not installed: run `node tools/bootstrap/ensure-pgbouncer.js`');
  return found;
}

/** What the test processes that died before stopping their PgBouncer left: the process and its folder. */
async function removeOrphans(): Promise<void> {
  if (!existsSync(PGBOUNCER_ROOT)) return;
  for (const entry of readdirSync(PGBOUNCER_ROOT)) {
    const owner = Number(/^(\d+)-/.exec(entry)?.[1]);
    if (!owner || isAlive(owner)) continue;
    const dir = join(PGBOUNCER_ROOT, entry);
    for (const pid of findProcessesMentioning(dir)) await stopProcess(pid, 'SIGTERM', 5_000);
    rmSync(dir, { recursive: true, force: true });
  }
}
