import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findProcessesMentioning, isAlive } from './processes';
import { startStack, stackStatus, stopStack, type RunningStack } from './stack';

jest.setTimeout(120_000);

// A second, throw-away stack on ports of its own: the lifecycle a developer relies on, with real engines.
describe('local stack lifecycle', () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'chronicle-stack-'));
  const options = {
    stackDir,
    ports: { kafka: 29092, kafkaController: 29093, postgres: 25432, clickhouse: 28123 },
    env: {},
    progress: () => undefined,
  };
  const pidsOf = (stack: RunningStack) => stack.engines.map((engine) => engine.pid);

  afterAll(async () => {
    await stopStack(options);
    rmSync(stackDir, { recursive: true, force: true });
  });

  it('starts Kafka 4, PostgreSQL and ClickHouse, and reports them running with their versions', async () => {
    const stack = await startStack(options);
    expect(stack.started.sort()).toEqual(['clickhouse', 'kafka', 'postgres']);
    expect(stack.kafkaBrokers).toBe('127.0.0.1:29092');
    expect(stack.databaseUrl).toBe('postgres://chronicle:chronicle@127.0.0.1:25432/chronicle');
    expect(stack.clickhouseUrl).toBe('http://127.0.0.1:28123');

    const status = await stackStatus(options);
    expect(status.map(({ name, state, version }) => ({ name, state, version }))).toEqual([
      { name: 'kafka', state: 'running', version: expect.stringMatching(/^Apache Kafka 4\.\d+\.\d+$/) },
      { name: 'postgres', state: 'running', version: expect.stringMatching(/^PostgreSQL \d+\.\d+/) },
      { name: 'clickhouse', state: 'running', version: expect.stringMatching(/^ClickHouse \d+\.\d+/) },
    ]);
  });

  it('treats a second start as a no-op', async () => {
    const before = await stackStatus(options);
    const again = await startStack(options);
    expect(again.started).toEqual([]);
    expect(pidsOf(again)).toEqual(before.map((engine) => engine.pid));
  });

  it('stops the engines of a crashed run it has lost track of, and starts afresh', async () => {
    const orphans = (await stackStatus(options)).map((engine) => engine.pid as number);
    unlinkSync(join(stackDir, 'state.json'));

    const restarted = await startStack(options);
    expect(restarted.started.sort()).toEqual(['clickhouse', 'kafka', 'postgres']);
    for (const pid of orphans) expect(isAlive(pid)).toBe(false);
    expect((await stackStatus(options)).every((engine) => engine.state === 'running')).toBe(true);
  });

  it('stops everything it started and leaves no process behind', async () => {
    await stopStack(options);
    expect(findProcessesMentioning(stackDir)).toEqual([]);
    expect((await stackStatus(options)).map((engine) => engine.state)).toEqual([
      'stopped',
      'stopped',
      'stopped',
    ]);
  });

  it('refuses a port held by another process, and leaves nothing half-started', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(options.ports.clickhouse, '127.0.0.1', resolve));
    try {
      await expect(startStack(options)).rejects.toThrow(
        `clickhouse: port ${options.ports.clickhouse} is already in use`,
      );
      expect(findProcessesMentioning(stackDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('uses engines given by the environment instead of starting its own', async () => {
    const running = await startStack(options);
    const external = {
      ...options,
      stackDir: join(stackDir, 'borrowing'),
      env: {
        KAFKA_BROKERS: running.kafkaBrokers,
        DATABASE_URL: running.databaseUrl,
        CLICKHOUSE_URL: running.clickhouseUrl,
      },
    };
    const borrowed = await startStack(external);
    expect(borrowed.started).toEqual([]);
    expect(borrowed.engines.map((engine) => engine.state)).toEqual(['external', 'external', 'external']);
    await stopStack(external);
    expect((await stackStatus(options)).every((engine) => engine.state === 'running')).toBe(true);
  });
});
