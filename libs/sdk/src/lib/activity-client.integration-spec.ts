import { decodeActivityEvent, type ActivityInput } from '@chronicle/contracts';
import {
  createTestTopic,
  stackEnvironmentFromEnv,
  type ReceivedMessage,
  type TestTopic,
} from '@chronicle/stack';
import { ActivityClient } from './activity-client';

jest.setTimeout(180_000);

const { kafkaBrokers } = stackEnvironmentFromEnv();

/** The n-th logged event; its number travels in context.requestId so the reader can check order. */
const numbered = (n: number, actors: number): ActivityInput => ({
  type: 'app.viewed',
  actor: { type: 'user', id: `u_${n % actors}` },
  entity: { type: 'app', id: `app_${n % 97}` },
  metadata: { referrer: 'search' },
  context: { requestId: `r${n}` },
});

/** Each actor's event numbers in the order Kafka holds them (one actor = one key = one partition). */
function sequencesByActor(received: ReceivedMessage[]): Map<string, number[]> {
  const byActor = new Map<string, number[]>();
  for (const { message } of received) {
    const decoded = decodeActivityEvent(message);
    if (!decoded.ok) throw new Error(`undecodable record: ${JSON.stringify(decoded.problems)}`);
    const { actor, context } = decoded.event.data;
    const list = byActor.get(actor.id) ?? [];
    list.push(Number(context?.requestId?.slice(1)));
    byActor.set(actor.id, list);
  }
  return byActor;
}

describe('ActivityClient against Kafka', () => {
  let topic: TestTopic;
  beforeEach(async () => {
    topic = await createTestTopic(kafkaBrokers, { prefix: 'sdk-spec' });
  });
  afterEach(() => topic.delete());

  it("delivers 100,000 logged events exactly once, each actor's in the order logged", async () => {
    const total = 100_000;
    const actors = 1_000;
    const reportedPublished: string[] = [];
    const client = new ActivityClient({
      source: '/services/sdk-spec',
      brokers: kafkaBrokers,
      topic: topic.name,
      onDelivery: { published: (events) => events.forEach((event) => reportedPublished.push(event.id)) },
    });
    let accepted = 0;
    for (let n = 0; n < total; n++) {
      if (client.log(numbered(n, actors))) accepted++;
      // Let the sender run now and then, as a service's event loop would.
      if (n % 5_000 === 4_999) await new Promise((resolve) => setImmediate(resolve));
    }
    await client.flush(60_000);
    await client.close();
    expect(accepted).toBe(total);
    expect(client.stats()).toMatchObject({ enqueued: total, published: total, queueDepth: 0 });

    const received = await topic.read(total);
    const ids = new Set(received.map(({ message }) => message.headers?.['ce_id']?.toString()));
    expect(received).toHaveLength(total);
    expect(ids.size).toBe(total);
    // What the client reported published is exactly what the topic holds.
    expect(reportedPublished.sort()).toEqual([...ids].sort());
    const byActor = sequencesByActor(received);
    expect(byActor.size).toBe(actors);
    for (const [actor, sequence] of byActor) {
      const expected = Array.from({ length: total / actors }, (_, i) => i * actors + Number(actor.slice(2)));
      expect(sequence).toEqual(expected);
    }
  });
});
