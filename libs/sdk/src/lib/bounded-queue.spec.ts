import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('keeps order, refuses items past its capacity, and frees room only when items are removed', () => {
    const queue = new BoundedQueue<number>(3);
    expect([queue.push(1), queue.push(2), queue.push(3), queue.push(4)]).toEqual([true, true, true, false]);
    expect(queue.isFull).toBe(true);
    expect(queue.peek(2)).toEqual([1, 2]);
    expect(queue.size).toBe(3);
    queue.remove(2);
    expect(queue.push(5)).toBe(true);
    expect(queue.push(6)).toBe(true);
    expect(queue.peek(10)).toEqual([3, 5, 6]);
    expect(queue.peek(10, 1)).toEqual([5, 6]);
    expect(queue.peek(1, 2)).toEqual([6]);
    expect(queue.peek(1, 3)).toEqual([]);
  });

  it('wraps around its buffer many times without losing or reordering items', () => {
    const queue = new BoundedQueue<number>(7);
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      while (queue.push(next)) next++;
      const batch = queue.peek(1 + (round % 5));
      seen.push(...batch);
      queue.remove(batch.length);
    }
    seen.push(...queue.peek(7));
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue(0)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });
});
