import { CompressionTypes, type Kafka, type Message } from 'kafkajs';
import { bucketQuantile, readBuckets } from './histogram';

/**
 * A live load for a worker benchmark: `rate` messages a second for `seconds`, in ten sends a second
 * (acks from all replicas), each message made by `message` at the time of its send. Returns how many
 * were sent.
 */
export async function producePaced(
  kafka: Kafka,
  topic: string,
  rate: number,
  seconds: number,
  message: (nowMs: number) => Message,
): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  const perTick = Math.max(1, Math.round(rate / 10));
  const started = Date.now();
  let produced = 0;
  try {
    for (let tick = 0; tick < seconds * 10; tick++) {
      const wait = started + tick * 100 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = Date.now();
      const messages = Array.from({ length: perTick }, () => message(now));
      await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
      produced += messages.length;
    }
  } finally {
    await producer.disconnect();
  }
  return produced;
}

/**
 * p50 and p99 of a worker's `chronicle_freshness_seconds{store, since="kafka_append"}` from its
 * /metrics text, interpolated within the histogram's buckets (NaN when it observed nothing).
 */
export function freshnessPercentiles(
  metricsText: string,
  store: 'postgres' | 'clickhouse',
): { p50: number; p99: number } {
  const buckets = readBuckets(metricsText, 'chronicle_freshness_seconds', { store, since: 'kafka_append' });
  const at = (q: number) => bucketQuantile(q, buckets) ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
