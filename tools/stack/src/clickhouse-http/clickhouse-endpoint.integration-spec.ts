import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { startClickHouseEndpoint, type ClickHouseEndpoint } from './clickhouse-endpoint';

jest.setTimeout(60_000);

// The client logs every failed query; some tests fail queries on purpose.
const quietClient = (url: string) => createClient({ url, log: { level: ClickHouseLogLevel.OFF } });

// The endpoint's own protocol behaviour, on a fresh data directory of its own, with the official client.
describe('ClickHouse HTTP endpoint over chdb', () => {
  let dataDir: string;
  let endpoint: ClickHouseEndpoint;
  let client: ClickHouseClient;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chronicle-ch-'));
    endpoint = await startClickHouseEndpoint({ dataDir, port: 0 });
    client = quietClient(endpoint.url);
  });

  afterAll(async () => {
    await client?.close();
    await endpoint?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers ping', async () => {
    expect(await client.ping()).toEqual({ success: true });
  });

  it('creates a MergeTree table, takes 10,000 JSONEachRow rows and reads them back with bound parameters', async () => {
    await client.command({
      query:
        "CREATE TABLE visits (id UInt32, user String, at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id",
    });
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: i,
      user: `user-${i % 100}`,
      at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', ''),
    }));
    await client.insert({ table: 'visits', values: rows, format: 'JSONEachRow' });

    const result = await client.query({
      query:
        'SELECT count() AS visits, uniqExact(user) AS users, max(id) AS last FROM visits WHERE id >= {from:UInt32}',
      query_params: { from: 0 },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ visits: 10000, users: 100, last: 9999 }]);

    const oneUser = await client.query({
      query: 'SELECT id FROM visits WHERE user = {user:String} AND at < {before:DateTime64(3)} ORDER BY id',
      query_params: { user: 'user-7', before: '2026-01-01 00:10:00.000' },
      format: 'JSONEachRow',
    });
    expect((await oneUser.json<{ id: number }>()).map((row) => row.id)).toEqual([7, 107, 207, 307, 407, 507]);
  });

  it('binds strings with quotes, tabs and backslashes, and arrays, exactly', async () => {
    const tricky = 'it\'s\ta \\path\\ with "quotes"\nand a newline';
    const result = await client.query({
      query:
        'SELECT {text:String} AS text, {ids:Array(UInt32)} AS ids, length({names:Array(String)}) AS names',
      query_params: { text: tricky, ids: [1, 2, 3], names: ["o'hara", 'b'] },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ text: tricky, ids: [1, 2, 3], names: 2 }]);
  });

  it('answers in the format asked for, and TabSeparated by default', async () => {
    const json = await client.query({ query: 'SELECT number FROM system.numbers LIMIT 3', format: 'JSON' });
    expect((await json.json<{ number: number }>()).data).toEqual([
      { number: 0 },
      { number: 1 },
      { number: 2 },
    ]);
    const response = await fetch(`${endpoint.url}/?query=${encodeURIComponent("SELECT 1, 'a'")}`);
    expect(await response.text()).toBe('1\ta\n');
  });

  it("reports a bad query with ClickHouse's code, status and type, and keeps serving", async () => {
    const error = await client.query({ query: 'SELEC 1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClickHouseError);
    expect(error).toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });

    const missing = await client.query({ query: 'SELECT * FROM no_such_table' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' });

    const raw = await fetch(`${endpoint.url}/?query=${encodeURIComponent('SELECT {n:UInt8}')}&param_n=abc`);
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-clickhouse-exception-code')).toBe('457');
    expect(await raw.text()).toMatch(/^Code: 457\. DB::Exception: .*\(BAD_QUERY_PARAMETER\)/);

    expect(await client.ping()).toEqual({ success: true });
  });

  it('runs a query in the database the client names', async () => {
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS analytics' });
    const scoped = createClient({ url: endpoint.url, database: 'analytics' });
    try {
      await scoped.command({ query: 'CREATE TABLE IF NOT EXISTS marker (x UInt8) ENGINE = Memory' });
      const result = await scoped.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ db: 'analytics' }]);
    } finally {
      await scoped.close();
    }
    const unscoped = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
    expect(await unscoped.json()).toEqual([{ db: 'default' }]);
  });

  it('applies settings to one query only', async () => {
    const fiveAsJson = async (settings?: Record<string, number>) => {
      const result = await client.query({
        query: 'SELECT toUInt64(5) AS v',
        format: 'JSONEachRow',
        clickhouse_settings: settings,
      });
      return (await result.json<{ v: unknown }>())[0]?.v;
    };
    expect(await fiveAsJson()).toBe(5);
    expect(await fiveAsJson({ output_format_json_quote_64bit_integers: 1 })).toBe('5');
    expect(await fiveAsJson()).toBe(5);
  });

  it('speaks gzip both ways when the client asks', async () => {
    const compressed = createClient({ url: endpoint.url, compression: { request: true, response: true } });
    try {
      await compressed.command({ query: 'CREATE TABLE zipped (n UInt64) ENGINE = MergeTree ORDER BY n' });
      await compressed.insert({
        table: 'zipped',
        values: Array.from({ length: 1000 }, (_, n) => ({ n })),
        format: 'JSONEachRow',
      });
      const result = await compressed.query({
        query: 'SELECT sum(n) AS total FROM zipped',
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([{ total: 499500 }]);
    } finally {
      await compressed.close();
    }
  });

  it('serves concurrent requests each with its own answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const result = await client.query({
          query: 'SELECT {i:UInt8} * 2 AS doubled',
          query_params: { i },
          format: 'JSONEachRow',
        });
        return (await result.json<{ doubled: number }>())[0]?.doubled;
      }),
    );
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('keeps its data across a restart', async () => {
    await client.close();
    await endpoint.close();
    endpoint = await startClickHouseEndpoint({ dataDir, port: 0 });
    client = quietClient(endpoint.url);
    const result = await client.query({ query: 'SELECT count() AS n FROM visits', format: 'JSONEachRow' });
    expect(await result.json()).toEqual([{ n: 10000 }]);
  });
});
