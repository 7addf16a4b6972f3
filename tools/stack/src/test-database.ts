import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  name: string;
  /** The connection URL of the new database (same server and credentials as the admin URL). */
  url: string;
  /** Drops the database, ending any connection a crashed test left open. */
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one test, so tests never see each other's rows. */
export async function createTestDatabase(
  adminUrl: string,
  prefix = 'test',
  options: { encoding?: 'LATIN1' } = {},
): Promise<TestDatabase> {
  const name =
    `${prefix.replace(/[^a-z0-9_]/gi, '_')}_${randomUUID().replaceAll('-', '').slice(0, 12)}`.toLowerCase();
  // Another encoding needs template0 and the C locale (any other would have to match the encoding).
  const create =
    options.encoding === undefined
      ? `CREATE DATABASE ${name}`
      : `CREATE DATABASE ${name} ENCODING '${options.encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`;
  await withClient(adminUrl, (client) => client.query(create));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
