import { mkdirSync } from 'node:fs';
import { Session, drainPending } from 'chdb';
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
      for (const name of settingNames) await this.session.queryAsync(setStatement(name, query.settings[name] as string));
      const options = { format: query.defaultFormat };
      const result =
        Object.keys(query.params).length > 0
          ? await this.session.queryBindAsync(query.sql, query.params, options)
          : await this.session.queryAsync(query.sql, options);
      return {
        body: Buffer.from(result.bytes()),
        readRows: result.rowsRead,
        readBytes: result.bytesRead,
        elapsedSeconds: result.elapsed,
      };
    } finally {
      for (const name of settingNames) await this.session.queryAsync(`SET ${name} = DEFAULT`).catch(() => undefined);
    }
  }

  /** Waits for the queries in flight, then releases the data directory. */
  async close(): Promise<void> {
    await this.queue;
    await drainPending();
    this.session.close();
  }
}
