import { ConfigError } from '@chronicle/config';
import { EventEmitter } from 'node:events';
import { runService } from './run-service';

describe('runService', () => {
  let writes: jest.SpyInstance[];
  beforeEach(() => {
    writes = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation(() => true),
    );
  });
  afterEach(() => writes.forEach((spy) => spy.mockRestore()));

  /** A stand-in for `process`: its signals and failure events are emitted by the test. */
  const host = () => new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'once' | 'on'>;
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('exits 2 on a configuration error, before starting anything', async () => {
    const exit = jest.fn();
    const start = jest.fn();
    await runService({
      name: 'svc',
      loadConfig: () => {
        throw new ConfigError('X must be set');
      },
      start,
      exit,
      process: host(),
    });
    expect(exit).toHaveBeenCalledWith(2);
    expect(start).not.toHaveBeenCalled();
    expect(String(writes[1]?.mock.calls[0]?.[0])).toContain('configuration: X must be set');
  });

  it('exits 2 on a bad stop deadline, naming the variable', async () => {
    const exit = jest.fn();
    await runService({
      name: 'svc',
      loadConfig: () => ({}),
      start: jest.fn(),
      env: { STOP_DEADLINE_MS: 'soon' },
      exit,
      process: host(),
    });
    expect(exit).toHaveBeenCalledWith(2);
    expect(String(writes[1]?.mock.calls[0]?.[0])).toContain('STOP_DEADLINE_MS');
  });

  it('exits 1 when the service cannot start', async () => {
    const exit = jest.fn();
    await runService({
      name: 'svc',
      loadConfig: () => ({}),
      start: () => Promise.reject(new Error('no db')),
      exit,
      process: host(),
    });
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('stops the service on SIGTERM and exits 0', async () => {
    const exit = jest.fn();
    const stop = jest.fn(() => Promise.resolve());
    const events = host();
    await runService({
      name: 'svc',
      loadConfig: () => ({}),
      start: async () => ({ stop }),
      exit,
      process: events,
    });
    events.emit('SIGTERM');
    events.emit('SIGINT');
    await settle();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(0);
  });

  it.each([
    ['unhandledRejection', new Error('nobody awaited me')],
    ['uncaughtException', new Error('thrown from a timer')],
  ])('logs an %s, stops the service and exits 1', async (event, error) => {
    const exit = jest.fn();
    const stop = jest.fn(() => Promise.resolve());
    const events = host();
    await runService({
      name: 'svc',
      loadConfig: () => ({}),
      start: async () => ({ stop }),
      exit,
      process: events,
    });
    events.emit(event, error);
    await settle();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(String(writes[1]?.mock.calls[0]?.[0])).toContain(error.message);
  });

  it('exits 1 when the stop outlasts its deadline', async () => {
    jest.useFakeTimers();
    try {
      const exit = jest.fn();
      const events = host();
      await runService({
        name: 'svc',
        loadConfig: () => ({}),
        start: async () => ({ stop: () => new Promise<void>(() => undefined) }),
        env: { STOP_DEADLINE_MS: '5000' },
        exit,
        process: events,
      });
      events.emit('SIGTERM');
      jest.advanceTimersByTime(4_999);
      expect(exit).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('exits 1 when the stop fails', async () => {
    const exit = jest.fn();
    const events = host();
    await runService({
      name: 'svc',
      loadConfig: () => ({}),
      start: async () => ({ stop: () => Promise.reject(new Error('stuck')) }),
      exit,
      process: events,
    });
    events.emit('SIGINT');
    await settle();
    expect(exit).toHaveBeenCalledWith(1);
  });
});
