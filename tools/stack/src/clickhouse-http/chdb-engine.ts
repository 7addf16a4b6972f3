import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Session, drainPending } from 'chdb';
// chdb's native binding, as its own Session methods call it. Used directly for one reason: the
// public queryBindAsync re-escapes string parameters for JavaScript callers, while parameters
// arriving over HTTP are already in ClickHouse's escaped text form and must reach the engine as
// they are (as on a ClickHouse server). chdb is pinned to an exact version for this; the
// endpoint's tests bind quotes, tabs, backslashes and arrays to catch a change.
// (The package's exports hide dist/, so the loader is required by its path.)
const native = require(
  join(dirname(require.resolve('chdb')), 'dist/loader.js'),
).loadNative() as NativeBinding;

interface NativeResult {
  bytes: Buffer;
  elapsed: number;
  rowsRead: number;
  bytesRead: number;
}

interface NativeBinding {
  QueryAsyncConnection(
    connection: unknown,
    sql: string,
    format: string,
    params?: Record<string, string>,
  ): Promise<NativeResult>;
}
import type { EndpointQuery } from './request-settings';
import { quoteIdentifier, setStatement } from './request-settings';

export interface QueryOutcome {
  body: Buffer;
  readRows: number;
  readBytes: number;
  elapsedSeconds: number;
}

/**
 * The ClickHouse engine of chdb over one data directory. Queries run one at a time: the current
 * database and per-query settings are session state of the single engine a process may own, so
 * interleaving two requests would let one see the other's. A ClickHouse server runs queries in
 * parallel; for a local stack, exact per-request semantics matter more.
 */
export class ChdbEngine {
  private readonly session: Session;
  private queue: Promise<unknown> = Promise.resolve();
  readonly version: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.session = new Session(dataDir);
    this.version = this.session.query('SELECT version()', 'TabSeparated').trim();
  }

  execute(query: EndpointQuery): Promise<QueryOutcome> {
    const run = this.queue.then(() => this.executeNow(query));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async executeNow(query: EndpointQuery): Promise<QueryOutcome> {
    const settingNames = Object.keys(query.settings);
    await this.session.queryAsync(`USE ${quoteIdentifier(query.database ?? 'default')}`);
    try {
      for (const name of settingNames)
        await this.session.queryAsync(setStatement(name, query.settings[name] as string));
      const result = await native.QueryAsyncConnection(
        this.session.connection,
        query.sql,
        query.defaultFormat,
        query.params,
      );
      return {
        body: result.bytes,
        readRows: result.rowsRead,
        readBytes: result.bytesRead,
        elapsedSeconds: result.elapsed,
      };
    } finally {
      for (const name of settingNames)
        await this.session.queryAsync(`SET ${name} = DEFAULT`).catch(() => undefined);
    }
  }

  /** Waits for the queries in flight, then releases the data directory. */
  async close(): Promise<void> {
    await this.queue;
    await drainPending();
    this.session.close();
  }
}
