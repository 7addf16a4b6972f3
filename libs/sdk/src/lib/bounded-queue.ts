/**
 * A fixed-capacity FIFO over a ring buffer. The sender reads a batch from the head without removing
 * it and removes it only once Kafka has taken it, so events in flight still count against the
 * capacity: memory is bounded whatever the broker does.
 */
export class BoundedQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  get isFull(): boolean {
    return this.length === this.capacity;
  }

  push(item: T): boolean {
    if (this.length === this.capacity) return false;
    this.items[(this.head + this.length) % this.capacity] = item;
    this.length++;
    return true;
  }

  /** Up to `max` items from position `skip` (0 = the oldest), left in the queue. */
  peek(max: number, skip = 0): T[] {
    const count = Math.max(0, Math.min(max, this.length - skip));
    const batch = new Array<T>(count);
    for (let i = 0; i < count; i++) batch[i] = this.items[(this.head + skip + i) % this.capacity] as T;
    return batch;
  }

  /** Removes the first `count` items. */
  remove(count: number): void {
    const n = Math.min(count, this.length);
    for (let i = 0; i < n; i++) this.items[(this.head + i) % this.capacity] = undefined;
    this.head = (this.head + n) % this.capacity;
    this.length -= n;
  }
}
