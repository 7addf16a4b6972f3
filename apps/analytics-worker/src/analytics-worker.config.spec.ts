import { TOPICS } from '@chronicle/contracts';
import { loadAnalyticsWorkerConfig } from './analytics-worker.config';

describe('loadAnalyticsWorkerConfig', () => {
  const env = {
    KAFKA_BROKERS: '127.0.0.1:19092',
    CLICKHOUSE_URL: 'http://127.0.0.1:18123',
    ANALYTICS_PSEUDONYM_SECRET: 's'.repeat(32),
  };

  it('has defaults for everything but the engines and the secret', () => {
    expect(loadAnalyticsWorkerConfig(env)).toEqual({
      brokers: ['127.0.0.1:19092'],
      clickhouseUrl: 'http://127.0.0.1:18123',
      database: 'chronicle',
      clickhouseAuth: { username: 'default' },
      pseudonymSecret: 's'.repeat(32),
      groupId: 'chronicle-analytics',
      topics: {
        events: TOPICS.events,
        dlq: TOPICS.dlq,
        erasure: TOPICS.erasure,
        erasureStatus: TOPICS.erasureStatus,
      },
      opsPort: 9102,
      opsHost: '127.0.0.1',
      stallAfterMs: 60_000,
      lagPollIntervalMs: 5_000,
      partitionsConcurrency: 12,
      batchMinBytes: 1024 * 1024,
      batchMaxWaitMs: 1_000,
      maxBatchBytes: 8 * 1024 * 1024,
      erasureSettleMs: 10_000,
    });
  });

  it.each([
    [{ CLICKHOUSE_URL: undefined }, /CLICKHOUSE_URL must be set/],
    [{ CLICKHOUSE_URL: 'tcp://x' }, /CLICKHOUSE_URL must be a URL starting with http/],
    [{ ANALYTICS_PSEUDONYM_SECRET: undefined }, /ANALYTICS_PSEUDONYM_SECRET must be set/],
    [{ ANALYTICS_PSEUDONYM_SECRET: 'short' }, /ANALYTICS_PSEUDONYM_SECRET must be at least 32 bytes/],
    [{ CLICKHOUSE_DATABASE: 'bad-name' }, /CLICKHOUSE_DATABASE/],
    [{ KAFKA_BROKERS: 'x' }, /KAFKA_BROKERS/],
    [{ ANALYTICS_ERASURE_SETTLE_MS: '-1' }, /ANALYTICS_ERASURE_SETTLE_MS must be an integer/],
    [{ LAG_POLL_INTERVAL_MS: 'often' }, /LAG_POLL_INTERVAL_MS must be an integer/],
  ])('refuses %p, naming the variable', (override, message) => {
    expect(() => loadAnalyticsWorkerConfig({ ...env, ...override })).toThrow(message);
  });

  it('never puts the secret in an error message', () => {
    expect(() => loadAnalyticsWorkerConfig({ ...env, ANALYTICS_PSEUDONYM_SECRET: 'tiny-secret' })).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('tiny-secret') }),
    );
  });
});
