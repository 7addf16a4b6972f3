import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { getDefaultActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import { createLogger } from '@chronicle/observability';
import {
  createIngestTestBed,
  expectStoredExactly,
  metricSum,
  type IngestTestBed,
} from '../test/ingest-test-bed';
import { startIngestWorker, type IngestWorker } from './ingest-worker';

jest.setTimeout(120_000);

/*
 * A service in another language publishes with its own Kafka client and its own UUID library. kcat
 * (librdkafka, the client under confluent-kafka for Python, Go and .NET) stands in for it, as
 * docs/producers.md shows: structured mode, a UUIDv4 id, with and without the content-type header.
 * `node tools/bootstrap/ensure-kcat.js` installs kcat.
 */

const example = getDefaultActivityCatalog().get('app.viewed')?.example as ActivityEvent;

/** Publishes `value` as one record with the real kcat binary; resolves once kcat has exited. */
function kcatPublish(
  brokers: readonly string[],
  topic: string,
  key: string,
  value: string,
  headers: readonly string[],
): Promise<void> {
  const args = ['-P', '-b', brokers.join(','), '-t', topic, '-k', key];
  for (const header of headers) args.push('-H', header);
  return new Promise((resolve, reject) => {
    const kcat = spawn('kcat', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    kcat.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    kcat.on('error', (error) =>
      reject(
        new Error(`kcat could not run (node tools/bootstrap/ensure-kcat.js installs it): ${error.message}`),
      ),
    );
    kcat.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`kcat exited with ${String(code)}: ${stderr}`)),
    );
    // One line: kcat splits its input into records at newlines.
    kcat.stdin.end(`${value}\n`);
  });
}

describe('ingest worker: events published from outside Node', () => {
  let bed: IngestTestBed | undefined;
  let worker: IngestWorker | undefined;

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await bed?.teardown();
    bed = undefined;
  });

  it('stores structured events with UUIDv4 ids sent by kcat, with and without content-type', async () => {
    const current = (bed = await createIngestTestBed('ingest_foreign'));
    worker = await startIngestWorker(current.config, {
      logger: createLogger('ingest-worker', () => undefined),
      progressIntervalMs: 0,
    });
    const actorId = 'u_foreign_1';
    const event = (entityId: string): ActivityEvent => ({
      ...example,
      id: randomUUID(),
      time: new Date().toISOString(),
      subject: `app/${entityId}`,
      data: { ...example.data, actor: { type: 'user', id: actorId }, entity: { type: 'app', id: entityId } },
    });
    const declared = event('app_declared');
    const undeclared = event('app_undeclared');
    const { brokers } = current.config;
    const topic = current.topics.events.name;

    await kcatPublish(brokers, topic, actorId, JSON.stringify(declared), [
      'content-type=application/cloudevents+json',
    ]);
    await kcatPublish(brokers, topic, actorId, JSON.stringify(undeclared), []);
    expect(await current.topics.events.recordCount()).toBe(2);
    await current.caughtUp(60_000);

    await expectStoredExactly(current, new Set([declared.id, undeclared.id]));
    expect(await current.topics.dlq.recordCount()).toBe(0);
    const metrics = await (await fetch(`${worker.opsUrl}/metrics`)).text();
    expect(metricSum(metrics, 'chronicle_ingest_events_total')).toBe(2);
    expect(metricSum(metrics, 'chronicle_ingest_dead_letters_total')).toBe(0);
    expect(metricSum(metrics, 'chronicle_ingest_structured_inferred_total')).toBe(1);
  });
});
