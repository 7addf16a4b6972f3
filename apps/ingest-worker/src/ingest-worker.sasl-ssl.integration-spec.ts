import { randomUUID } from 'node:crypto';
import type { ActivityInput } from '@chronicle/contracts';
import type { KafkaSecurity } from '@chronicle/kafka';
import { createLogger } from '@chronicle/observability';
import { ActivityClient } from '@chronicle/sdk';
import { startSecureKafka, waitFor, type SecureKafka } from '@chronicle/stack';
import { createIngestTestBed, type IngestTestBed } from '../test/ingest-test-bed';
import type { IngestWorkerConfig } from './ingest-worker.config';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(120_000);

const EVENTS = 500;
const quiet = createLogger('ingest-worker', () => undefined);
const progress = (message: string) => process.stderr.write(`[sasl-ssl spec] ${message}\n`);

const viewed = (n: number): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: `u_${n % 50}` },
  entity: { type: 'app', id: `app_${n % 17}` },
  metadata: { referrer: 'search' },
});

describe('ingest worker and SDK over SASL_SSL (TLS + SCRAM)', () => {
  let kafka: SecureKafka;
  let bed: IngestTestBed;
  /** The worker's configuration on the secure broker: its own topics and group there. */
  let config: IngestWorkerConfig;
  let worker: IngestWorker | undefined;

  beforeAll(async () => {
    kafka = await startSecureKafka({ progress });
    // The bed's database and worker login; the worker reads the secure broker's topics, not the bed's.
    bed = await createIngestTestBed('ingest_sasl_ssl');
    const topics = {
      events: `ingest_sasl_ssl.events.${randomUUID()}`,
      dlq: `ingest_sasl_ssl.dlq.${randomUUID()}`,
      erasure: `ingest_sasl_ssl.erasure.${randomUUID()}`,
      erasureStatus: `ingest_sasl_ssl.erasure-status.${randomUUID()}`,
    };
    await kafka.createTopics([
      { topic: topics.events, numPartitions: 6 },
      ...[topics.dlq, topics.erasure, topics.erasureStatus].map((topic) => ({ topic, numPartitions: 1 })),
    ]);
    config = { ...bed.config, brokers: kafka.brokers, topics };
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await bed?.teardown();
    await kafka?.stop();
  });

  it('stores in Postgres every event the SDK published, both clients on SCRAM over TLS', async () => {
    const started = Date.now();
    const workerSecurity: KafkaSecurity = kafka.clientSecurity('scram-sha-256');
    worker = await startIngestWorker(
      { ...config, kafkaSecurity: workerSecurity },
      { logger: quiet, progressIntervalMs: 0 },
    );

    const published: string[] = [];
    const client = new ActivityClient({
      source: '/services/sasl-ssl-spec',
      brokers: kafka.brokers,
      security: kafka.clientSecurity('scram-sha-512'),
      topic: config.topics.events,
      onDelivery: { published: (events) => published.push(...events.map((event) => event.id)) },
    });
    for (let n = 0; n < EVENTS; n++) expect(client.log(viewed(n))).toBe(true);
    await client.flush(30_000);
    await client.close();
    expect(published).toHaveLength(EVENTS);

    const stored = await waitFor(
      async () => {
        const now = await bed.stored();
        return now.rows >= EVENTS ? now : undefined;
      },
      { timeoutMs: 30_000, what: `${EVENTS} events in Postgres` },
    );
    expect(stored.rows).toBe(EVENTS);
    expect([...stored.ids].sort()).toEqual([...published].sort());
    // /health asks the broker through the same secure client settings.
    const health = await fetch(`${worker.opsUrl}/health/ready`);
    expect(await health.json()).toMatchObject({ ok: true, details: { kafka: { ok: true } } });
    progress(`published and stored ${EVENTS} events in ${Date.now() - started} ms`);
  });

  it('refuses a wrong password at once with an authentication error: the worker does not start, the SDK says why', async () => {
    const wrong = kafka.clientSecurity('scram-sha-256', 'not-the-password');
    const started = Date.now();
    await expect(
      startIngestWorker(
        { ...config, groupId: `${config.groupId}.wrong`, kafkaSecurity: wrong },
        { logger: quiet, progressIntervalMs: 0 },
      ),
    ).rejects.toThrow(/SASL SCRAM SHA256 authentication failed.*invalid credentials/);
    expect(Date.now() - started).toBeLessThan(10_000);

    const warnings: string[] = [];
    const client = new ActivityClient({
      source: '/services/sasl-ssl-spec',
      brokers: kafka.brokers,
      security: wrong,
      topic: config.topics.events,
      shutdownTimeoutMs: 500,
      logger: { warn: (message) => warnings.push(message) },
    });
    client.log(viewed(0));
    await waitFor(() => warnings.some((warning) => /authentication failed/.test(warning)), {
      timeoutMs: 10_000,
      what: 'the SDK to warn that authentication failed',
    });
    await client.close();
    expect(client.stats()).toMatchObject({ published: 0 });
  });
});
