import { EventEmitter } from 'node:events';
import { watchSendStall } from './send-stall';

/** A response whose client reads or not, as the test says. */
class FakeResponse extends EventEmitter {
  writableNeedDrain = false;
}

describe('watchSendStall', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('cuts off a client that has read nothing for the stall time while bytes wait', () => {
    const response = new FakeResponse();
    const onStall = jest.fn();
    watchSendStall(response, 4_000, onStall);
    response.writableNeedDrain = true;
    jest.advanceTimersByTime(3_000);
    expect(onStall).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2_000);
    expect(onStall).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(60_000);
    expect(onStall).toHaveBeenCalledTimes(1);
  });

  it('leaves a slow reader alone: each drain restarts the clock', () => {
    const response = new FakeResponse();
    const onStall = jest.fn();
    watchSendStall(response, 4_000, onStall);
    response.writableNeedDrain = true;
    for (let i = 0; i < 20; i++) {
      jest.advanceTimersByTime(3_000);
      response.emit('drain');
    }
    expect(onStall).not.toHaveBeenCalled();
  });

  it('leaves alone a client with nothing to read, however long', () => {
    const response = new FakeResponse();
    const onStall = jest.fn();
    watchSendStall(response, 1_000, onStall);
    jest.advanceTimersByTime(600_000);
    expect(onStall).not.toHaveBeenCalled();
  });

  it('stops watching when told or when the stream closes', () => {
    const stopped = new FakeResponse();
    const closed = new FakeResponse();
    const onStall = jest.fn();
    watchSendStall(stopped, 1_000, onStall)();
    watchSendStall(closed, 1_000, onStall);
    closed.emit('close');
    stopped.writableNeedDrain = closed.writableNeedDrain = true;
    jest.advanceTimersByTime(10_000);
    expect(onStall).not.toHaveBeenCalled();
    expect(stopped.listenerCount('drain') + closed.listenerCount('drain')).toBe(0);
  });
});
