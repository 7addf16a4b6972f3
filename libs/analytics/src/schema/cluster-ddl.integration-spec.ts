import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { renderMigrations } from './clickhouse-migrator';

// The cluster DDL is checked by ClickHouse's parser only, not run. The local engine is chdb (embedded
// ClickHouse 26.7): no Keeper, no remote_servers, no macros. Tried against it:
//   CREATE TABLE … ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/db/r', '{replica}') …
//     → Code: 139 No macro 'shard' in config … (NO_ELEMENTS_IN_CONFIG)
//   the same with a literal path and replica ('/clickhouse/tables/01/db/r2', 'r1')
//     → Code: 225 Can't create replicated table without ZooKeeper. (NO_ZOOKEEPER)
//   CREATE TABLE … ON CLUSTER default …, and ENGINE = Distributed(default, …)
//     → Code: 701 Requested cluster 'default' not found. (CLUSTER_DOESNT_EXIST)
// So whether the tables replicate is for a real cluster to show; what can be shown here is that the
// server reads every rendered statement as meant: ON CLUSTER where it belongs, the Replicated engine
// with its arguments. formatQuery parses a statement without running it.

jest.setTimeout(60_000);

const { clickhouseUrl } = stackEnvironmentFromEnv();

describe('the cluster DDL, as ClickHouse parses it', () => {
  let client: ClickHouseClient;
  beforeAll(() => {
    client = createClient({ url: clickhouseUrl, log: { level: ClickHouseLogLevel.OFF } });
  });
  afterAll(() => client.close());

  const parsed = async (statement: string): Promise<string> => {
    const result = await client.query({
      query: 'SELECT formatQuery({statement:String}) AS formatted',
      query_params: { statement },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ formatted: string }>();
    return row?.formatted ?? '';
  };

  it('parses every statement, with ON CLUSTER prod and only Replicated or Distributed engines', async () => {
    const { schema } = renderMigrations({ database: 'chronicle', cluster: 'prod' });
    const statements = [...schema.bootstrap, ...schema.migrations.flatMap(({ statements }) => statements)];
    const engines: string[] = [];
    for (const statement of statements) {
      const formatted = await parsed(statement);
      // A backfill runs once on one replica; its Replicated table carries the rows to the others.
      expect(formatted).toMatch(
        /^((CREATE|DROP) (DATABASE|TABLE|MATERIALIZED VIEW) IF (NOT )?EXISTS \S+ ON CLUSTER prod\b|INSERT INTO chronicle\.\w+ SELECT\b)/,
      );
      engines.push(...[...formatted.matchAll(/\bENGINE = (\w+)\(/g)].map((match) => match[1] as string));
    }
    expect(new Set(engines)).toEqual(
      new Set([
        'ReplicatedMergeTree',
        'ReplicatedReplacingMergeTree',
        'ReplicatedAggregatingMergeTree',
        'Distributed',
      ]),
    );
  });

  it('reads the events engine with the version column after path and replica', async () => {
    const { schema } = renderMigrations({ database: 'chronicle', cluster: 'prod' });
    const events = schema.migrations[0]?.statements[0] ?? '';
    expect(await parsed(events)).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/chronicle/events', '{replica}', ingested_at)",
    );
  });

  it('rejects ON CLUSTER where a careless rewrite would put it, so the checks above can fail', async () => {
    await expect(
      parsed(
        'CREATE TABLE IF NOT EXISTS chronicle.t (k String) ON CLUSTER prod ENGINE = MergeTree ORDER BY k',
      ),
    ).rejects.toThrow(/Syntax error/);
  });
});
