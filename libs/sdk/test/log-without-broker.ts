// Child process of the bounded-memory test: logs many events through a client whose broker does
// not exist, sampling the heap, and prints one JSON line with what it saw.
import { parseArgs } from 'node:util';
import { ActivityClient } from '../src';

const { values } = parseArgs({ options: { calls: { type: 'string' }, queue: { type: 'string' } } });
const calls = Number(values.calls);
const client = new ActivityClient({
  source: '/services/memory-spec',
  brokers: ['127.0.0.1:1'],
  queue: { maxEvents: Number(values.queue) },
  shutdownTimeoutMs: 100,
  retry: { initialMs: 10, maxMs: 50 },
  logger: { warn: () => undefined },
});

let peakHeapUsed = 0;
const sample = () => {
  global.gc?.();
  peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
};

async function main(): Promise<void> {
  sample();
  for (let n = 0; n < calls; n++) {
    client.log({
      type: 'search.performed',
      actor: { type: 'user', id: `u_${n % 10_000}` },
      metadata: { query: `query number ${n}`, resultCount: n % 50, scope: 'apps' },
    });
    if (n % 50_000 === 0) {
      sample();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  sample();
  const afterLogging = client.stats();
  await client.close();
  process.stdout.write(`${JSON.stringify({ peakHeapUsed, afterLogging, afterClose: client.stats() })}\n`);
}

void main();
