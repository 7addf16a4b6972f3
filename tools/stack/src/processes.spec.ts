import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import {
  commandLineOf,
  findProcessesMentioning,
  isAlive,
  isPortFree,
  spawnDaemon,
  stopProcess,
} from './processes';
import { waitFor } from './wait-for';

describe('daemon processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-proc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const daemon = (script: string) =>
    spawnDaemon({
      command: process.execPath,
      args: ['-e', script, join(dir, 'marker')],
      logFile: join(dir, 'daemon.log'),
    });

  it('starts a detached process that writes to its log and is found by its command line', async () => {
    const pid = daemon("console.log('hello from the daemon'); setInterval(() => {}, 1000)");
    expect(isAlive(pid)).toBe(true);
    expect(commandLineOf(pid)).toContain(join(dir, 'marker'));
    expect(findProcessesMentioning(join(dir, 'marker'))).toEqual([pid]);
    await waitFor(() => readFileSync(join(dir, 'daemon.log'), 'utf8').includes('hello from the daemon'), {
      timeoutMs: 5_000,
    });

    await stopProcess(pid, 'SIGTERM', 5_000);
    expect(isAlive(pid)).toBe(false);
    expect(findProcessesMentioning(join(dir, 'marker'))).toEqual([]);
  });

  it('kills a process that ignores the polite signal once the grace period is over', async () => {
    const pid = daemon(
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000)",
    );
    await waitFor(() => readFileSync(join(dir, 'daemon.log'), 'utf8').includes('ready'), {
      timeoutMs: 5_000,
    });
    const began = Date.now();
    await stopProcess(pid, 'SIGTERM', 300);
    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    expect(readFileSync(join(dir, 'daemon.log'), 'utf8')).toContain('ignoring SIGTERM');
  });

  it('treats an absent process as stopped', async () => {
    expect(isAlive(2 ** 22 + 12345)).toBe(false);
    expect(commandLineOf(2 ** 22 + 12345)).toBeUndefined();
    await expect(stopProcess(2 ** 22 + 12345, 'SIGTERM', 100)).resolves.toBeUndefined();
  });

  it('tells a free port from a taken one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    await new Promise((resolve) => server.close(resolve));
    expect(await isPortFree(port)).toBe(true);
  });

  it('reports a command that cannot be started', () => {
    expect(() =>
      spawnDaemon({ command: join(dir, 'no-such-program'), args: [], logFile: join(dir, 'missing.log') }),
    ).toThrow(/could not start/);
  });
});
