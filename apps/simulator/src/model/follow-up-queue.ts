import type { EmitFollowUp } from './follow-ups.types';

/**
 * The pending follow-ups, soonest first: a binary heap over parallel arrays, since at thousands of
 * events per second it holds hundreds of thousands of entries (a visit's sign-out is due half an hour
 * later) and a heap of objects spends its time in cache misses. Entries due at the same time come out
 * in the order they went in, so the order never depends on the heap's layout.
 */
export class FollowUpQueue {
  private dues = new Float64Array(1024);
  private sequences = new Float64Array(1024);
  private emits: EmitFollowUp[] = [];
  private length = 0;
  private nextSequence = 0;

  get size(): number {
    return this.length;
  }

  /** The soonest due time, or Infinity when nothing is pending. */
  peekDue(): number {
    return this.length > 0 ? (this.dues[0] as number) : Infinity;
  }

  push(due: number, emit: EmitFollowUp): void {
    if (this.length === this.dues.length) this.grow();
    const sequence = this.nextSequence++;
    let index = this.length++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentDue = this.dues[parent] as number;
      if (parentDue < due || (parentDue === due && (this.sequences[parent] as number) < sequence)) break;
      this.move(parent, index);
      index = parent;
    }
    this.place(index, due, sequence, emit);
  }

  /** Removes and returns the soonest follow-up; undefined when nothing is pending. */
  pop(): EmitFollowUp | undefined {
    if (this.length === 0) return undefined;
    const top = this.emits[0];
    const last = --this.length;
    const due = this.dues[last] as number;
    const sequence = this.sequences[last] as number;
    const emit = this.emits[last] as EmitFollowUp;
    this.emits[last] = undefined as unknown as EmitFollowUp; // let the closure go
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= last) break;
      const right = left + 1;
      const child = right < last && this.isBefore(right, left) ? right : left;
      const childDue = this.dues[child] as number;
      if (due < childDue || (due === childDue && sequence < (this.sequences[child] as number))) break;
      this.move(child, index);
      index = child;
    }
    if (last > 0) this.place(index, due, sequence, emit);
    return top;
  }

  private isBefore(a: number, b: number): boolean {
    const dueA = this.dues[a] as number;
    const dueB = this.dues[b] as number;
    return dueA < dueB || (dueA === dueB && (this.sequences[a] as number) < (this.sequences[b] as number));
  }

  private move(from: number, to: number): void {
    this.dues[to] = this.dues[from] as number;
    this.sequences[to] = this.sequences[from] as number;
    this.emits[to] = this.emits[from] as EmitFollowUp;
  }

  private place(index: number, due: number, sequence: number, emit: EmitFollowUp): void {
    this.dues[index] = due;
    this.sequences[index] = sequence;
    this.emits[index] = emit;
  }

  private grow(): void {
    const dues = new Float64Array(this.dues.length * 2);
    dues.set(this.dues);
    this.dues = dues;
    const sequences = new Float64Array(this.sequences.length * 2);
    sequences.set(this.sequences);
    this.sequences = sequences;
  }
}
