import { createLogger, type LogLevel } from '@chronicle/observability';
import { WorkerRuntime } from './worker-runtime';

/*
 * The runtime without engines: Kafka is a port nothing listens on (kafkajs connects lazily, and the
 * probe gives up at once), the store a function. The workers' integration tests run it for real.
 */
const NO_BROKER = ['127.0.0.1:1'];

function runtimeOptions(store: () => Promise<unknown> = async () => undefined) {
  const lines: { level: LogLevel; line: string }[] = [];
  return {
    lines,
    options: {
      name: 'test-worker',
      brokers: NO_BROKER,
      opsPort: 0,
      stallAfterMs: 60_000,
      store: { name: 'store', check: store },
      logger: createLogger('test-worker', (level, line) => lines.push({ level, line })),
    },
  };
}

/** A consumer of `events.test` that handles every batch; it never joins, as no broker answers. */
function consumeTestTopic(runtime: WorkerRuntime): void {
  runtime.consume({
    groupId: 'g',
    topic: 'events.test',
    handleBatch: async () => undefined,
    retryMessage: 'batch not written',
  });
}

describe('WorkerRuntime', () => {
  it('serves /health before anything else starts, not ready until the consumers run', async () => {
    const { options } = runtimeOptions();
    const runtime = await WorkerRuntime.create(options);
    try {
      const response = await fetch(`${runtime.opsUrl}/health`);
      expect(response.status).toBe(503);
      const report = (await response.json()) as { details: Record<string, { ok?: boolean }> };
      expect(report.details['store']).toMatchObject({ ok: true });
      expect(report.details['kafka']).toMatchObject({ ok: false });
      expect(report.details['consumers']).toEqual({});
      expect(new URL(runtime.opsUrl).hostname).toBe('127.0.0.1');
      expect((await fetch(`${runtime.opsUrl}/metrics`)).status).toBe(200);
    } finally {
      await runtime.stop();
    }
  });

  it('is live while not ready, and says both, and what runs, on /metrics', async () => {
    const { options } = runtimeOptions();
    const runtime = await WorkerRuntime.create(options);
    try {
      consumeTestTopic(runtime);
      const live = await fetch(`${runtime.opsUrl}/health/live`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({
        ok: true,
        details: { consumers: { 'events.test': { running: true } } },
      });
      expect((await fetch(`${runtime.opsUrl}/health/ready`)).status).toBe(503);
      const metrics = await (await fetch(`${runtime.opsUrl}/metrics`)).text();
      expect(metrics).toMatch(/^chronicle_service_ready\{service="test-worker"\} 0$/m);
      expect(metrics).toMatch(
        /^chronicle_build_info\{service="test-worker",version="[^"]+",revision="[^"]+"\} 1$/m,
      );
    } finally {
      await runtime.stop();
    }
  });

  it('reports a failing store by the name it was given', async () => {
    const { options } = runtimeOptions(() => Promise.reject(new Error('store down')));
    const runtime = await WorkerRuntime.create(options);
    try {
      const report = await runtime.health();
      expect(report.ok).toBe(false);
      expect(report.details).toMatchObject({ store: { ok: false, error: 'store down' } });
    } finally {
      await runtime.stop();
    }
  });

  it('lists each consumer under its topic', async () => {
    const { options } = runtimeOptions();
    const runtime = await WorkerRuntime.create(options);
    try {
      consumeTestTopic(runtime);
      const report = await runtime.health();
      expect(report.details).toMatchObject({
        consumers: { 'events.test': { joined: false, retrying: 0, stalled: [] } },
      });
    } finally {
      await runtime.stop();
    }
  });

  it('stops what the worker registered newest first, after the consumers, and goes on past a failing step', async () => {
    const { options, lines } = runtimeOptions();
    const runtime = await WorkerRuntime.create(options);
    const order: string[] = [];
    runtime.onStop('database', async () => void order.push('database'));
    runtime.onStop('scheduler', async () => {
      order.push('scheduler');
      throw new Error('scheduler stuck');
    });
    runtime.onStop('cache', async () => void order.push('cache'));
    await expect(runtime.stop()).rejects.toThrow('scheduler stuck');
    expect(order).toEqual(['cache', 'scheduler', 'database']);
    const logged = lines.map(({ level, line }) => ({ level, message: JSON.parse(line).message }));
    expect(logged).toContainEqual({ level: 'error', message: 'stop: scheduler failed' });
    expect(logged.at(-1)).toEqual({ level: 'info', message: 'test-worker stopped' });
    await expect(fetch(`${runtime.opsUrl}/health`)).rejects.toThrow();
  });

  it('waits for a dependency with backoff, logging each failed attempt', async () => {
    const { options, lines } = runtimeOptions();
    const runtime = await WorkerRuntime.create(options);
    try {
      let attempts = 0;
      const value = await runtime.waitFor('the store', async () => {
        if (++attempts < 2) throw new Error('refused');
        return 'connected';
      });
      expect(value).toBe('connected');
      expect(lines.map(({ line }) => JSON.parse(line))).toContainEqual(
        expect.objectContaining({ level: 'warn', message: 'the store not reachable; retrying', attempt: 1 }),
      );
    } finally {
      await runtime.stop();
    }
  });
});
