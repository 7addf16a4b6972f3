import { TOPICS } from '@chronicle/contracts';
import { loadIngestWorkerConfig } from './ingest-worker.config';

describe('loadIngestWorkerConfig', () => {
  const env = {
    KAFKA_BROKERS: '127.0.0.1:19092',
    DATABASE_URL: 'postgres://u:p@127.0.0.1:15432/db',
    ANALYTICS_PSEUDONYM_SECRET: 's'.repeat(32),
  };

  it('has defaults for everything but the engines', () => {
    expect(loadIngestWorkerConfig(env)).toEqual({
      brokers: ['127.0.0.1:19092'],
      databaseUrl: env.DATABASE_URL,
      pseudonymSecret: env.ANALYTICS_PSEUDONYM_SECRET,
      groupId: 'chronicle-ingest',
      topics: {
        events: TOPICS.events,
        dlq: TOPICS.dlq,
        erasure: TOPICS.erasure,
        erasureStatus: TOPICS.erasureStatus,
      },
      retentionDays: 90,
      maxFutureMs: 86_400_000,
      maintenanceIntervalMs: 3_600_000,
      opsPort: 9101,
      opsHost: '127.0.0.1',
      stallAfterMs: 60_000,
      lagPollIntervalMs: 5_000,
      partitionsConcurrency: 2,
      maxBatchBytes: 4 * 1024 * 1024,
      dbPoolSize: 6,
    });
  });

  it('takes overrides', () => {
    const config = loadIngestWorkerConfig({
      ...env,
      RETENTION_DAYS: '30',
      EVENTS_TOPIC: 't',
      INGEST_OPS_PORT: '0',
      LAG_POLL_INTERVAL_MS: '250',
    });
    expect(config).toMatchObject({
      retentionDays: 30,
      topics: { events: 't' },
      opsPort: 0,
      lagPollIntervalMs: 250,
    });
  });

  it.each([
    [{ DATABASE_URL: undefined }, /DATABASE_URL must be set/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL starting with postgres/],
    [{ ANALYTICS_PSEUDONYM_SECRET: undefined }, /ANALYTICS_PSEUDONYM_SECRET must be set/],
    [{ ANALYTICS_PSEUDONYM_SECRET: 'short' }, /ANALYTICS_PSEUDONYM_SECRET must be at least 32 bytes/],
    [{ KAFKA_BROKERS: '' }, /KAFKA_BROKERS must be set/],
    [{ KAFKA_BROKERS: 'nohost' }, /KAFKA_BROKERS: "nohost" is not host:port/],
    [{ RETENTION_DAYS: '0' }, /RETENTION_DAYS must be an integer from 1 to 3650, got "0"/],
    [{ INGEST_OPS_PORT: 'abc' }, /INGEST_OPS_PORT must be an integer/],
    [{ LAG_POLL_INTERVAL_MS: '50' }, /LAG_POLL_INTERVAL_MS must be an integer from 100 to 300000, got "50"/],
  ])('refuses %p, naming the variable', (override, message) => {
    expect(() => loadIngestWorkerConfig({ ...env, ...override })).toThrow(message);
  });
});
