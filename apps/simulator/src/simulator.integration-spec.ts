import { decodeActivityEvent, type ActivityEvent } from '@chronicle/contracts';
import { createTestTopic, stackEnvironmentFromEnv, type TestTopic } from '@chronicle/stack';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SdkSink } from './run/sdk-sink';
import { systemClock } from './run/rate-schedule';
import { runSimulator } from './simulator.runner';

/*
 * The simulator against the real Kafka of the local stack (`npm run stack:up`, KAFKA_BROKERS): the
 * command line as a user runs it, and a backfill in process. Each test writes to a topic of its own.
 */

const BROKERS = stackEnvironmentFromEnv().kafkaBrokers;
const REPO_ROOT = join(__dirname, '../../..');
const MAIN = 'apps/simulator/src/main.ts';

jest.setTimeout(120_000);

describe('simulator with Kafka', () => {
  let testTopic: TestTopic;
  let topic: string;

  beforeEach(async () => {
    testTopic = await createTestTopic(BROKERS, { prefix: 'simulator-it', partitions: 3 });
    topic = testTopic.name;
  });
  afterEach(() => testTopic.delete());

  /** Reads the topic from the beginning until it has `count` records. */
  async function readEvents(count: number): Promise<ActivityEvent[]> {
    const messages = (await testTopic.read(count)).map(({ message }) => message);
    return messages.map((message) => {
      const decoded = decodeActivityEvent(message);
      if (!decoded.ok) throw new Error(`undecodable record: ${JSON.stringify(decoded.problems)}`);
      expect(decoded.binding).toBe('binary');
      return decoded.event;
    });
  }

  function simulate(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAFKA_BROKERS: BROKERS.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const stderrMatches = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (pattern.test(stderr)) {
            child.stderr.off('data', check);
            resolve();
          }
        };
        child.stderr.on('data', check);
        check();
      });
    return { child, exited, stdout: () => stdout, stderr: () => stderr, stderrMatches };
  }

  it('publishes exactly --count events, each once, all valid', async () => {
    const run = simulate([
      '--count',
      '2000',
      '--rate',
      '2000',
      '--topic',
      topic,
      '--ops-port',
      '0',
      '--seed',
      'it',
    ]);

    expect(await run.exited).toBe(0);

    expect(run.stdout()).toMatch(/sent {6}2,000 events/);
    expect(run.stdout()).toContain('queued 2,000, published 2,000');
    expect(run.stdout()).toContain('dropped 0');
    expect(await testTopic.recordCount()).toBe(2_000);
    const events = await readEvents(2_000);
    expect(new Set(events.map((event) => event.id)).size).toBe(2_000);
    expect(new Set(events.map((event) => event.source))).toEqual(
      new Set(['/services/app-store', '/services/media-server']),
    );
    expect(new Set(events.map((event) => event.type)).size).toBeGreaterThan(8);
  });

  it('stops on SIGTERM, publishes what it queued, prints the summary and exits 0', async () => {
    const run = simulate(['--rate', '300', '--topic', topic, '--ops-port', '0']);
    // The first progress line (every 5 s on a pipe) says events are flowing.
    await run.stderrMatches(/\[simulator\] live {2}[0-9,]+ sent/);

    run.child.kill('SIGTERM');

    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('SIGTERM: stopping, publishing what is queued');
    expect(run.stdout()).toContain('(stopped by a signal)');
    const [, queued, published] = /queued ([0-9,]+), published ([0-9,]+)/.exec(run.stdout()) ?? [];
    const count = Number(published?.replaceAll(',', ''));
    expect(count).toBeGreaterThan(1_000);
    expect(published).toBe(queued);
    expect(await testTopic.recordCount()).toBe(count);
    expect(new Set((await readEvents(count)).map((event) => event.id)).size).toBe(count);
  });

  it('writes a --ledger whose published ids are exactly the ids in the topic, none twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulator-ledger-'));
    const ledgerPath = join(dir, 'ledger.ndjson');
    try {
      const run = simulate([
        ...['--rate', '500', '--duration', '3s', '--ledger', ledgerPath],
        ...['--topic', topic, '--ops-port', '0', '--seed', 'ledger'],
      ]);

      expect(await run.exited).toBe(0);

      const lines = readFileSync(ledgerPath, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { outcome: string; id?: string; reason?: string });
      const ids = lines.flatMap((line) => (line.id === undefined ? [] : [line.id]));
      expect(new Set(ids).size).toBe(ids.length);
      const published = lines.filter((line) => line.outcome === 'published').map((line) => line.id);
      expect(published.length).toBeGreaterThan(1_000);
      expect(run.stdout()).toContain(`published ${published.length.toLocaleString('en-US')} `);
      expect(run.stdout()).toContain(`recorded in ${ledgerPath}`);
      expect(await testTopic.recordCount()).toBe(published.length);
      const inTopic = (await readEvents(published.length)).map((event) => event.id);
      expect(published.sort()).toEqual(inTopic.sort());
      expect(lines[0]).toMatchObject({
        outcome: 'published',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        type: expect.any(String),
        actor: { type: expect.any(String), id: expect.any(String) },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('backfills the last days, in process, as fast as Kafka takes the events', async () => {
    const stderr: string[] = [];
    const startedAt = Date.now();
    const summary = await runSimulator(
      {
        rate: 200,
        count: 3_000,
        durationMs: undefined,
        users: 1_000,
        apps: 100,
        backfillDays: 3,
        seed: '5',
        brokers: BROKERS,
        topic,
        opsPort: 0,
        opsHost: '127.0.0.1',
        progressEveryMs: undefined,
        dryRun: false,
        ledgerPath: undefined,
      },
      {
        clock: systemClock,
        wallClock: () => startedAt,
        createSink: (o, registry) =>
          new SdkSink({ brokers: o.brokers, topic: o.topic, overflow: 'block' }, registry),
        stderr: { write: (text: string) => stderr.push(text) },
        stdout: { write: () => true },
        signal: new AbortController().signal,
      },
    );

    expect(summary).toMatchObject({ mode: 'backfill', generated: 3_000, accepted: 3_000, stopped: 'done' });
    expect(summary.stats.published).toBe(3_000);
    expect(await testTopic.recordCount()).toBe(3_000);
    const times = (await readEvents(3_000)).map((event) => Date.parse(event.time));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(startedAt - 3 * 86_400_000);
    expect(Math.max(...times)).toBeLessThan(startedAt);
  });
});
