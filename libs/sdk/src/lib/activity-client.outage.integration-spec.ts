import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestTopic, startStack, stopStack, type StackRunOptions } from '@chronicle/stack';
import { ActivityClient } from './activity-client';

jest.setTimeout(240_000);

// A broker of this test's own, so that stopping it disturbs no other test.
const stackDir = mkdtempSync(join(tmpdir(), 'chronicle-sdk-outage-'));
const ownBroker: StackRunOptions = {
  stackDir,
  engines: ['kafka'],
  ports: { kafka: 39092, kafkaController: 39093 },
  env: {},
  progress: () => undefined,
};
const brokers = ['127.0.0.1:39092'];

afterAll(async () => {
  await stopStack(ownBroker);
  rmSync(stackDir, { recursive: true, force: true });
});

describe('ActivityClient through a broker outage', () => {
  it('delivers every accepted event once when the broker is down for 10 s while logging goes on', async () => {
    await startStack(ownBroker);
    const topic = await createTestTopic(brokers, { prefix: 'sdk-outage' });
    const warnings: string[] = [];
    const client = new ActivityClient({
      source: '/services/sdk-outage-spec',
      brokers,
      topic: topic.name,
      logger: { warn: (message) => warnings.push(message) },
    });

    // About 2,000 events a second, from a timer, as a service under load would log them.
    let logged = 0;
    let accepted = 0;
    const ticker = setInterval(() => {
      for (let i = 0; i < 20; i++, logged++) {
        const ok = client.log({
          type: 'download.initiated',
          actor: { type: 'user', id: `u_${logged % 500}` },
          entity: { type: 'app', id: `app_${logged % 50}` },
          metadata: { downloadId: `dl_${logged}`, version: '1.0.0', sizeBytes: 58_720_256 },
        });
        if (ok) accepted++;
      }
    }, 10);
    const acceptedBy = (target: number) =>
      new Promise<void>((resolve) => {
        const check = setInterval(() => accepted >= target && (clearInterval(check), resolve()), 10);
      });

    try {
      await acceptedBy(5_000);
      await stopStack(ownBroker);
      const acceptedWhenDown = accepted;
      await new Promise((resolve) => setTimeout(resolve, 10_000)); // the outage itself
      expect(accepted).toBeGreaterThan(acceptedWhenDown + 10_000);
      await startStack(ownBroker);
      await acceptedBy(accepted + 5_000);
    } finally {
      clearInterval(ticker);
    }
    await client.flush(120_000);
    await client.close();

    expect(client.stats()).toMatchObject({ enqueued: accepted, published: accepted, queueDepth: 0 });
    expect(logged).toBe(accepted);
    expect(warnings.some((warning) => warning.includes('publishing to Kafka failed'))).toBe(true);

    const received = await topic.read(accepted, 120_000);
    const ids = received.map(({ message }) => message.headers?.['ce_id']?.toString());
    expect(new Set(ids).size).toBe(accepted);
    expect(received).toHaveLength(accepted);
    await topic.delete();
  });
});
