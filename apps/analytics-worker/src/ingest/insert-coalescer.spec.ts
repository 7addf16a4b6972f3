import type { IsolationResult } from '@chronicle/kafka';
import { InsertCoalescer } from './insert-coalescer';

interface Row {
  batch: string;
  n: number;
}

const rows = (batch: string, count: number): Row[] => Array.from({ length: count }, (_, n) => ({ batch, n }));

/** A write that records each call and, while `gate` is pending, does not finish. */
function recordingWrite(outcome?: (items: Row[]) => IsolationResult<Row, Row[]>) {
  const calls: Row[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const write = async (items: Row[]): Promise<IsolationResult<Row, Row[]>> => {
    calls.push(items);
    await gate;
    return outcome ? outcome(items) : { written: [items], rejected: [] };
  };
  const hold = () => {
    gate = new Promise((resolve) => (release = resolve));
  };
  return { calls, write, hold, release: () => release() };
}

describe('InsertCoalescer', () => {
  it('writes the rows of batches submitted together as one write, and gives each its own rows back', async () => {
    const { calls, write } = recordingWrite();
    const coalescer = new InsertCoalescer(write);
    const [a, b] = await Promise.all([coalescer.submit(rows('a', 2)), coalescer.submit(rows('b', 3))]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(5);
    expect(a).toEqual({ written: [rows('a', 2)], rejected: [] });
    expect(b).toEqual({ written: [rows('b', 3)], rejected: [] });
  });

  it('gathers the rows submitted while a write is in flight into the next write', async () => {
    const { calls, write, hold, release } = recordingWrite();
    const coalescer = new InsertCoalescer(write);
    hold();
    const first = coalescer.submit(rows('a', 1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(1);
    const later = [coalescer.submit(rows('b', 1)), coalescer.submit(rows('c', 1))];
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toHaveLength(1); // b and c wait for a's write
    release();
    await Promise.all([first, ...later]);
    expect(calls.map((call) => call.map((row) => row.batch))).toEqual([['a'], ['b', 'c']]);
  });

  it('splits written parts and refused rows by their batch', async () => {
    // As reject isolation hands them back: written in halves, one row refused.
    const { write } = recordingWrite((items) => ({
      written: [items.slice(0, 2), items.slice(3)],
      rejected: [{ item: items[2] as Row, error: new Error('bad row') }],
    }));
    const coalescer = new InsertCoalescer(write);
    const [a, b] = await Promise.all([coalescer.submit(rows('a', 3)), coalescer.submit(rows('b', 2))]);
    expect(a.written).toEqual([rows('a', 2)]);
    expect(a.rejected).toEqual([{ item: { batch: 'a', n: 2 }, error: new Error('bad row') }]);
    expect(b).toEqual({ written: [rows('b', 2)], rejected: [] });
  });

  it('fails every batch of a write that fails as a whole, and writes the next ones anew', async () => {
    let fail = true;
    const coalescer = new InsertCoalescer<Row>(async (items) => {
      if (fail) throw new Error('ClickHouse down');
      return { written: [items], rejected: [] };
    });
    const results = await Promise.allSettled([
      coalescer.submit(rows('a', 1)),
      coalescer.submit(rows('b', 1)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(coalescer.submit(rows('a', 1))).resolves.toEqual({ written: [rows('a', 1)], rejected: [] });
  });

  it('answers an empty batch without a write', async () => {
    const { calls, write } = recordingWrite();
    await expect(new InsertCoalescer(write).submit([])).resolves.toEqual({ written: [], rejected: [] });
    expect(calls).toHaveLength(0);
  });
});
