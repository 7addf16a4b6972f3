import { toActivityEvent, type ActivityInput } from '@chronicle/contracts';
import type { DeliveryListener } from '@chronicle/sdk';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivitySink, SinkStats } from './run/activity-sink';
import type { Clock } from './run/rate-schedule';
import type { SimulatorOptions } from './simulator-options';
import { runSimulator, TICK_MS } from './simulator.runner';

const START = Date.parse('2026-11-22T19:00:00Z');

/** Time moves only when the loop sleeps or the sink says sending took time; sleeping still yields to I/O. */
class FakeClock implements Clock {
  constructor(public time = 50_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.time += ms;
  }
}

/** Records what it is given and when; `onEvent` can make sending cost time, stall or stop the run. */
class RecordingSink implements ActivitySink {
  readonly kind = 'dry-run';
  readonly inputs: ActivityInput[] = [];
  readonly sentAt: number[] = [];
  calls = { log: 0, logAsync: 0, close: 0 };
  /** What createSink was given (`--ledger`): told that each event was published, and of 2 shutdown drops. */
  onDelivery: DeliveryListener | undefined;

  constructor(
    private readonly clock: FakeClock,
    private readonly onEvent: (index: number) => void | Promise<unknown> = () => undefined,
  ) {}

  log(input: ActivityInput): boolean {
    this.calls.log++;
    this.record(input);
    return true;
  }

  async logAsync(input: ActivityInput): Promise<boolean> {
    this.calls.logAsync++;
    await this.record(input);
    return true;
  }

  stats(): SinkStats {
    return { enqueued: this.inputs.length, published: 0, dropped: {}, queueDepth: 0 };
  }

  async close(): Promise<void> {
    this.calls.close++;
    await new Promise((resolve) => setImmediate(resolve));
    this.onDelivery?.dropped?.('shutdown', 2, []);
  }

  private record(input: ActivityInput): void | Promise<unknown> {
    this.onDelivery?.published?.([toActivityEvent(input, { source: '/services/app-store' })]);
    this.inputs.push(input);
    this.sentAt.push(this.clock.now());
    return this.onEvent(this.inputs.length - 1);
  }
}

function options(overrides: Partial<SimulatorOptions>): SimulatorOptions {
  return {
    rate: 500,
    count: undefined,
    durationMs: undefined,
    users: 2_000,
    apps: 200,
    backfillDays: 0,
    seed: '1',
    brokers: [],
    topic: 'unused',
    opsPort: 0,
    opsHost: '127.0.0.1',
    progressEveryMs: undefined,
    dryRun: true,
    ledgerPath: undefined,
    ...overrides,
  };
}

function harness(
  onEvent?: (
    index: number,
    h: { clock: FakeClock; stop: AbortController; opsUrl: () => string },
  ) => void | Promise<unknown>,
) {
  const clock = new FakeClock();
  const stop = new AbortController();
  const stderr: string[] = [];
  const stdout: string[] = [];
  const opsUrl = () => /on (http:\/\/[^/]+)\/metrics/.exec(stderr.join(''))?.[1] as string;
  const sink = new RecordingSink(clock, (index) => onEvent?.(index, { clock, stop, opsUrl }));
  const run = (o: SimulatorOptions) =>
    runSimulator(o, {
      clock,
      wallClock: () => START,
      createSink: (_options, _registry, onDelivery) => {
        sink.onDelivery = onDelivery;
        return sink;
      },
      stderr: { write: (text: string) => stderr.push(text) },
      stdout: { write: (text: string) => stdout.push(text) },
      signal: stop.signal,
    });
  return { clock, sink, stop, run, stderr, stdout };
}

describe('runSimulator', () => {
  describe('a live run', () => {
    it('sends --count events, each at its time or within a tick after, and prints the summary', async () => {
      const { sink, run, stdout, stderr } = harness();

      const summary = await run(options({ rate: 500, count: 1_000 }));

      expect(summary).toMatchObject({
        mode: 'live',
        generated: 1_000,
        accepted: 1_000,
        stopped: 'done',
        targetRate: 500,
      });
      expect(sink.calls).toEqual({ log: 1_000, logAsync: 0, close: 1 });
      const startedAt = sink.sentAt[0] as number;
      sink.inputs.forEach((input, i) => {
        const dueAfterStart = i * 2;
        expect((input.time as Date).getTime()).toBe(START + dueAfterStart);
        const sentAfterStart = (sink.sentAt[i] as number) - startedAt;
        expect(sentAfterStart).toBeGreaterThanOrEqual(dueAfterStart);
        expect(sentAfterStart).toBeLessThanOrEqual(dueAfterStart + TICK_MS);
      });
      expect(stdout.join('')).toContain('Simulator summary: live, seed 1, 2,000 users, 200 apps');
      expect(stdout.join('')).toMatch(/sent {6}1,000 events in 2\.0[01] s/);
      expect(stderr.join('')).toContain('[simulator] live  1,000/1,000 sent (100.0%)');
    });

    it('holds the rate over a --duration without drifting, although sending takes time', async () => {
      const { sink, run } = harness((_, { clock }) => {
        clock.time += 0.3;
      });

      const summary = await run(options({ rate: 1_000, durationMs: 10_000 }));

      expect(summary.stopped).toBe('done');
      expect(summary.generated).toBe(10_000);
      expect(sink.inputs).toHaveLength(10_000);
      expect(summary.elapsedMs).toBeGreaterThanOrEqual(9_999);
      expect(summary.elapsedMs).toBeLessThan(10_000 + 2 * TICK_MS);
      expect(summary.maxLagMs).toBeLessThan(2 * TICK_MS);
    });

    it('stops at the end of --duration when the sink cannot keep up, and says how far behind it fell', async () => {
      const { run, stdout } = harness((_, { clock }) => {
        clock.time += 2;
      });

      const summary = await run(options({ rate: 1_000, durationMs: 2_000 }));

      expect(summary.stopped).toBe('duration');
      expect(summary.generated).toBeGreaterThan(900);
      expect(summary.generated).toBeLessThan(1_100);
      expect(summary.maxLagMs).toBeGreaterThan(800);
      expect(stdout.join('')).toMatch(/target 1,000\/s, (4[5-9]|5[0-5])\.[0-9]%/);
    });

    it('stops on the signal, closes the sink and still prints the summary', async () => {
      const { sink, run, stdout } = harness((index, { stop }) => {
        if (index === 299) stop.abort();
      });

      const summary = await run(options({ rate: 500 }));

      expect(summary.stopped).toBe('signal');
      expect(summary.generated).toBeGreaterThanOrEqual(300);
      expect(summary.generated).toBeLessThan(320);
      expect(sink.calls.close).toBe(1);
      expect(stdout.join('')).toContain('(stopped by a signal)');
    });

    it('reports itself unhealthy while it is far behind its schedule', async () => {
      let health: Promise<Response> | undefined;
      const { run } = harness((index, { clock, opsUrl }) => {
        if (index === 50) {
          clock.time += 30_000; // a stall: everything due in the next 30 s is now late
          health = fetch(`${opsUrl()}/health`);
        }
      });

      await run(options({ rate: 100, count: 4_000 }));

      expect(health).toBeDefined();
      const response = await (health as Promise<Response>);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ok: false, details: { mode: 'live', phase: 'running' } });
    });
  });

  describe('a backfill', () => {
    it('sends --count events of the last days through logAsync, in time order', async () => {
      const { sink, run, stdout } = harness();

      const summary = await run(options({ backfillDays: 2, count: 3_000 }));

      expect(summary).toMatchObject({
        mode: 'backfill',
        generated: 3_000,
        stopped: 'done',
        targetRate: undefined,
      });
      expect(sink.calls).toEqual({ log: 0, logAsync: 3_000, close: 1 });
      const times = sink.inputs.map((input) => (input.time as Date).getTime());
      expect(times[0]).toBeGreaterThanOrEqual(START - 2 * 86_400_000);
      expect(times.at(-1)).toBeLessThan(START);
      expect(times.every((time, i) => i === 0 || time >= (times[i - 1] as number))).toBe(true);
      expect(stdout.join('')).toContain('backfill of the last 2 days');
    });

    it('stops on the signal even while the sink keeps it waiting', async () => {
      const { sink, run } = harness((index, { stop }) => {
        if (index < 100) return undefined;
        stop.abort();
        return new Promise(() => undefined); // a queue that never frees up
      });

      const summary = await run(options({ backfillDays: 1, count: 5_000 }));

      expect(summary.stopped).toBe('signal');
      expect(summary.generated).toBe(100);
      expect(sink.calls.close).toBe(1);
    });

    it('stops at the end of --duration', async () => {
      const { run } = harness((_, { clock }) => {
        clock.time += 1;
      });

      const summary = await run(options({ backfillDays: 1, count: 50_000, durationMs: 5_000 }));

      expect(summary.stopped).toBe('duration');
      expect(summary.generated).toBe(5_000);
    });
  });

  it('serves /health and /metrics while it runs, and stops serving them at the end', async () => {
    let seen: { health: Response; healthBody: unknown; metrics: string } | undefined;
    let url = '';
    const { run } = harness(async (index, { opsUrl }) => {
      if (index !== 10) return;
      url = opsUrl();
      const health = await fetch(`${url}/health/ready`);
      const healthBody = await health.json();
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      seen = { health, healthBody, metrics: await (await fetch(`${url}/metrics`)).text() };
    });

    await run(options({ backfillDays: 1, count: 500 }));

    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(seen?.health.status).toBe(200);
    expect(seen?.healthBody).toMatchObject({
      ok: true,
      details: { mode: 'backfill', phase: 'running', generated: 10 },
    });
    expect(seen?.metrics).toMatch(
      /chronicle_simulator_events_generated_total\{type="[a-z_.]+",service="simulator"\} [0-9]+/,
    );
    expect(seen?.metrics).toContain('chronicle_simulator_schedule_lag_seconds{service="simulator"} 0');
    expect(seen?.metrics).toContain('process_cpu_user_seconds_total');
    expect(seen?.metrics).toMatch(
      /^chronicle_build_info\{service="simulator",version="[^"]+",revision="[^"]+"\} 1$/m,
    );
    expect(seen?.metrics).toContain('chronicle_service_ready{service="simulator"} 1');
    // A type the run has not generated yet is there, at 0.
    expect(seen?.metrics).toMatch(
      /^chronicle_simulator_events_generated_total\{type="[a-z_.]+",service="simulator"\} 0$/m,
    );
  });

  it('serves the target rate of a live run as a metric', async () => {
    let metrics: Promise<string> | undefined;
    const { run } = harness((index, { opsUrl }) => {
      if (index === 0) metrics = fetch(`${opsUrl()}/metrics`).then((response) => response.text());
    });

    await run(options({ rate: 100, count: 300 }));

    expect(await metrics).toContain(
      'chronicle_simulator_target_rate_events_per_second{service="simulator"} 100',
    );
  });

  describe('with --ledger', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'chronicle-simulator-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes what the sink reports, its shutdown drops last, and names the file in the summary', async () => {
      const ledgerPath = join(dir, 'ledger.ndjson');
      const { sink, run, stdout } = harness();

      const summary = await run(options({ rate: 500, count: 300, ledgerPath }));

      expect(sink.onDelivery).toBeDefined();
      const lines = readFileSync(ledgerPath, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(301);
      expect(lines[0]).toMatchObject({ outcome: 'published', type: sink.inputs[0]?.type });
      expect(lines.at(-1)).toEqual({ outcome: 'dropped', reason: 'shutdown', count: 2 });
      expect(summary.ledger).toEqual({ path: ledgerPath, published: 300, dropped: 2 });
      expect(stdout.join('')).toContain(
        `  ledger    300 published and 2 dropped events recorded in ${ledgerPath}\n`,
      );
    });

    it('installs no listener without it', async () => {
      const { sink, run, stdout } = harness();

      const summary = await run(options({ rate: 500, count: 10 }));

      expect(sink.onDelivery).toBeUndefined();
      expect(summary.ledger).toBeUndefined();
      expect(stdout.join('')).not.toContain('ledger');
    });

    it('fails before sending anything when the file cannot be written', async () => {
      const { sink, run } = harness();

      await expect(
        run(options({ count: 10, ledgerPath: join(dir, 'missing', 'ledger.ndjson') })),
      ).rejects.toThrow('--ledger: cannot write');
      expect(sink.inputs).toHaveLength(0);
    });

    it('closes it too when the run cannot start', async () => {
      const taken: Server = createServer();
      await new Promise<void>((resolve) => taken.listen(0, resolve));
      const ledgerPath = join(dir, 'ledger.ndjson');
      const { run } = harness();
      try {
        await expect(
          run(options({ opsPort: (taken.address() as { port: number }).port, count: 10, ledgerPath })),
        ).rejects.toThrow('could not listen');
        expect(readFileSync(ledgerPath, 'utf8')).toBe(
          '{"outcome":"dropped","reason":"shutdown","count":2}\n',
        );
      } finally {
        taken.close();
      }
    });
  });

  it('fails before sending anything when its ops port is taken, closing the sink', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const port = (taken.address() as { port: number }).port;
    const { sink, run } = harness();
    try {
      await expect(run(options({ opsPort: port, count: 10 }))).rejects.toThrow(
        `could not listen on port ${port}`,
      );
      expect(sink.inputs).toHaveLength(0);
      expect(sink.calls.close).toBe(1);
    } finally {
      taken.close();
    }
  });
});
