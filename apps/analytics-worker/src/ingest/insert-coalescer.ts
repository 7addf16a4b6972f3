import type { IsolationResult } from '@chronicle/kafka';

interface Waiting<T> {
  items: T[];
  resolve(result: IsolationResult<T, T[]>): void;
  reject(error: unknown): void;
}

/**
 * Group commit for ClickHouse: the rows of the batches handled at the same time (the partitions of
 * one fetch, with `partitionsConsumedConcurrently` > 1) go out as one insert, and the rows that
 * arrive while an insert is in flight go out together in the next. ClickHouse wants few large
 * inserts; the local endpoint even serialises them.
 *
 * Each submitter gets back its own part of the outcome: its rows written (in the parts they were
 * written in) and its rows refused, with the error; a failure of the write as a whole (a transient
 * one) rejects every submitter of that write, and each batch is retried by its consumer, as before.
 * So a batch still resolves only once ClickHouse has acknowledged its rows, and only then are its
 * offsets committed.
 */
export class InsertCoalescer<T extends object> {
  private waiting: Waiting<T>[] = [];
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;

  /** @param write writes the items as few inserts as it can (one, unless rows are refused and isolated) */
  constructor(private readonly write: (items: T[]) => Promise<IsolationResult<T, T[]>>) {}

  submit(items: T[]): Promise<IsolationResult<T, T[]>> {
    if (items.length === 0) return Promise.resolve({ written: [], rejected: [] });
    return new Promise((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight || this.timer !== undefined || this.waiting.length === 0) return;
    // After this turn of the event loop, so that the batches submitted in it go together; those that
    // arrive while the insert is in flight go in the next one.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = true;
      void this.flush().finally(() => {
        this.inFlight = false;
        this.schedule();
      });
    }, 0);
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = [];
    const owner = new Map<T, Waiting<T>>();
    for (const entry of waiting) for (const item of entry.items) owner.set(item, entry);
    let result: IsolationResult<T, T[]>;
    try {
      result = await this.write(waiting.flatMap((entry) => entry.items));
    } catch (error) {
      for (const entry of waiting) entry.reject(error);
      return;
    }
    const mine = new Map<Waiting<T>, IsolationResult<T, T[]>>(
      waiting.map((entry) => [entry, { written: [], rejected: [] }]),
    );
    for (const part of result.written) {
      const split = new Map<Waiting<T>, T[]>();
      for (const item of part) {
        const entry = owner.get(item) as Waiting<T>;
        const items = split.get(entry);
        if (items) items.push(item);
        else split.set(entry, [item]);
      }
      for (const [entry, items] of split) mine.get(entry)?.written.push(items);
    }
    for (const rejected of result.rejected)
      mine.get(owner.get(rejected.item) as Waiting<T>)?.rejected.push(rejected);
    for (const [entry, outcome] of mine) entry.resolve(outcome);
  }
}
