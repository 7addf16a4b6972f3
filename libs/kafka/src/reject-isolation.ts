/**
 * What a failed store write says about the records in it. Each store library classifies its own
 * errors into these (Postgres by SQLSTATE, ClickHouse by error code); one routine acts on them.
 * - `transient`: the store, not the records (connection lost, timeout, shutdown, serialization
 *   failure, a missing table or permission). The batch is retried with backoff until the store takes
 *   it; a partition that waits too long is reported by the consumer's stall check.
 * - `deterministic`: the records; the same ones fail the same way every time (bad value, too long,
 *   constraint).
 * - `unknown`: not known; retried a bounded number of times, then taken as the records'.
 */
export const STORE_FAILURE_KINDS = ['transient', 'deterministic', 'unknown'] as const;
export type StoreFailureKind = (typeof STORE_FAILURE_KINDS)[number];

export interface RejectIsolationOptions<T, R> {
  /** Writes the items in one go (one transaction, one insert), or throws. Must be idempotent. */
  write(items: T[]): Promise<R>;
  classify(error: unknown): StoreFailureKind;
  /** Attempts at the whole batch before an unknown failure is taken as the records' (default 3). */
  unknownAttempts?: number;
  /** The wait before attempt `n + 1` after an unknown failure (default 200 ms × n). */
  unknownRetryDelayMs?(attempt: number): number;
  /** Told about every failed write, e.g. to count it by kind. */
  onFailure?(error: unknown, kind: StoreFailureKind, items: number): void;
}

export interface IsolationResult<T, R> {
  /** What each successful write returned. */
  written: R[];
  /** The items that failed alone, with the store's error: for the dead-letter queue. */
  rejected: { item: T; error: unknown }[];
}

/**
 * Writes `items`; when the store refuses the records themselves, halves the set until each refused
 * record is alone, and hands those back to be dead-lettered, so that no record can hold a partition.
 * A transient failure is thrown (the caller retries the batch later; what was written is idempotent).
 * An unknown failure is retried on the whole batch `unknownAttempts` times, then treated as
 * deterministic: the halves are written, and a half that fails again, for whatever reason other than a
 * transient one, is halved in turn. Costs one write per batch when nothing fails, and about
 * 2·log2(n) more writes per refused record.
 */
export async function writeIsolatingRejects<T, R>(
  items: readonly T[],
  options: RejectIsolationOptions<T, R>,
): Promise<IsolationResult<T, R>> {
  const result: IsolationResult<T, R> = { written: [], rejected: [] };
  if (items.length === 0) return result;
  const attempts = Math.max(1, options.unknownAttempts ?? 3);
  const delay = options.unknownRetryDelayMs ?? ((attempt: number) => 200 * attempt);
  for (let attempt = 1; ; attempt++) {
    const failure = await tryWrite(items, options, result);
    if (failure === undefined) return result;
    if (failure.kind === 'unknown' && attempt < attempts) {
      await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
      continue;
    }
    await isolate(items, failure.error, options, result);
    return result;
  }
}

/** Undefined when written; the failure when the records (or an unknown cause) are to blame; throws when transient. */
async function tryWrite<T, R>(
  items: readonly T[],
  options: RejectIsolationOptions<T, R>,
  result: IsolationResult<T, R>,
): Promise<{ error: unknown; kind: StoreFailureKind } | undefined> {
  try {
    result.written.push(await options.write([...items]));
    return undefined;
  } catch (error) {
    const kind = options.classify(error);
    options.onFailure?.(error, kind, items.length);
    if (kind === 'transient') throw error;
    return { error, kind };
  }
}

/** `items` failed with `error` as a whole: a lone record is rejected, a larger set is split in two and each tried. */
async function isolate<T, R>(
  items: readonly T[],
  error: unknown,
  options: RejectIsolationOptions<T, R>,
  result: IsolationResult<T, R>,
): Promise<void> {
  if (items.length === 1) {
    result.rejected.push({ item: items[0] as T, error });
    return;
  }
  const middle = Math.ceil(items.length / 2);
  for (const half of [items.slice(0, middle), items.slice(middle)]) {
    const failure = await tryWrite(half, options, result);
    if (failure !== undefined) await isolate(half, failure.error, options, result);
  }
}
