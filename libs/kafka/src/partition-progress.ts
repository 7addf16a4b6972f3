/** A partition that is not moving: why, since when, and the last error (summarised, without values). */
export interface PartitionStall {
  topic: string;
  partition: number;
  /**
   * `batch_not_committed`: a batch was handed to the handler and has neither been committed nor given
   * up (it keeps failing, or hangs); `no_batch_fetched`: the broker holds records of the partition
   * past the group's committed offset, and the consumer has handed no batch of any partition to the
   * handler meanwhile (it crashed, stopped fetching, or waits behind a batch that keeps failing).
   */
  reason: 'batch_not_committed' | 'no_batch_fetched';
  /** RFC 3339: since the batch arrived; or since records were first seen waiting, or the consumer last moved if later. */
  since: string;
  forMs: number;
  /** The last failed attempt's error, summarised without values; absent while the first attempt runs. */
  error?: string;
}

interface Batch {
  since: number;
  /** The Kafka timestamp of its first record: the oldest record not yet processed. */
  firstTimestampMs: number | undefined;
  error?: string;
}

interface PartitionState {
  batch?: Batch;
  /** The Kafka timestamp of the last record this member committed. */
  lastCommittedTimestampMs?: number;
  /** The broker's last answer: records between the group's committed offset and the partition's end. */
  lag?: number;
  /** When a measurement last found nothing to do (taken before the end was read). */
  caughtUpAt?: number;
  /** When a measurement first found records waiting since the partition was assigned or last caught up. */
  behindSince?: number;
  /** The stall already told to `onStall` (its reason and start), so that each is told once. */
  reported?: string;
}

/**
 * What one member of a consumer group knows of the partitions it owns: the batch in flight, the lag
 * the broker last reported, and enough timestamps to say how old the oldest unprocessed record is
 * and whether the partition is moving. Plain bookkeeping: the consumer tells it what happens, with
 * the time, so that it is tested without a broker.
 */
export class PartitionProgress {
  private readonly partitions = new Map<number, PartitionState>();
  /**
   * The last time the consumer's loop moved: partitions assigned, or a batch of any of them handed to
   * the handler or committed. A partition that waits its turn while others move is not stalled (the
   * broker serves the partitions of a fetch in order, so under a backlog some wait); one that waits
   * while nothing moves is.
   */
  private loopAdvancedAt: number | undefined;

  constructor(
    readonly topic: string,
    private readonly stallAfterMs: number,
  ) {}

  /** The member's partitions after a rebalance; returns the ones it no longer owns. */
  assign(partitions: readonly number[], now: number): number[] {
    const owned = new Set(partitions);
    const lost = [...this.partitions.keys()].filter((partition) => !owned.has(partition));
    for (const partition of lost) this.partitions.delete(partition);
    for (const partition of partitions)
      if (!this.partitions.has(partition)) this.partitions.set(partition, {});
    this.loopAdvancedAt = now;
    return lost;
  }

  /** Forgets every partition (the consumer stopped); returns them. */
  clear(): number[] {
    const all = this.owned();
    this.partitions.clear();
    return all;
  }

  owned(): number[] {
    return [...this.partitions.keys()];
  }

  /** A batch is handed to the handler (again, after a failure, it keeps its first arrival). */
  batchStarted(partition: number, firstTimestampMs: number | undefined, now: number): void {
    let state = this.partitions.get(partition);
    if (state === undefined) this.partitions.set(partition, (state = {}));
    if (state.batch !== undefined) return;
    state.batch = { since: now, firstTimestampMs: validTimestamp(firstTimestampMs) };
    this.loopAdvancedAt = now;
  }

  batchFailed(partition: number, error: string): void {
    const batch = this.partitions.get(partition)?.batch;
    if (batch !== undefined) batch.error = error;
  }

  /** The batch is committed (its last record's timestamp given), or given up (no timestamp). */
  batchEnded(partition: number, now: number, lastTimestampMs?: number): void {
    const state = this.partitions.get(partition);
    if (state === undefined) return;
    state.batch = undefined;
    if (lastTimestampMs === undefined) return;
    const timestamp = validTimestamp(lastTimestampMs);
    if (timestamp !== undefined) state.lastCommittedTimestampMs = timestamp;
    this.loopAdvancedAt = now;
  }

  /** The broker's answer, read at `measuredAt` (before the partition's end was read). */
  measured(partition: number, lag: number, measuredAt: number): void {
    const state = this.partitions.get(partition);
    if (state === undefined) return;
    state.lag = lag;
    if (lag === 0) {
      state.caughtUpAt = measuredAt;
      state.behindSince = undefined;
    } else {
      state.behindSince ??= measuredAt;
    }
  }

  lag(partition: number): number | undefined {
    return this.partitions.get(partition)?.lag;
  }

  /**
   * The age of the oldest unprocessed record, in seconds; 0 when the broker last reported nothing
   * waiting. Exact while a batch is in flight: its first record is the oldest unprocessed one. Between
   * batches the next record has not been read, so the age is bounded from above: that record was
   * appended after the last record committed here and after the last measurement that found the
   * partition caught up. With neither known (a partition just taken over with a backlog, before its
   * first batch) it is bounded from below: the record was already there when the backlog was first
   * measured.
   */
  lagSeconds(partition: number, now: number): number {
    const state = this.partitions.get(partition);
    if (state === undefined || !state.lag) return 0;
    const appendedBy =
      state.batch?.firstTimestampMs ??
      maxDefined(state.lastCommittedTimestampMs, state.caughtUpAt) ??
      state.behindSince ??
      now;
    return Math.max(0, now - appendedBy) / 1000;
  }

  /** The partitions not moving for `stallAfterMs`: a batch uncommitted, or records waiting while nothing moves. */
  stalls(now: number): PartitionStall[] {
    const stalls: PartitionStall[] = [];
    for (const [partition, state] of this.partitions) {
      const stall = this.stallOf(partition, state, now);
      if (stall !== undefined) stalls.push(stall);
    }
    return stalls;
  }

  /** The stalls not reported yet; each is reported once (a new one starts when the partition or the consumer moves). */
  newStalls(now: number): PartitionStall[] {
    return this.stalls(now).filter((stall) => {
      const state = this.partitions.get(stall.partition) as PartitionState;
      const key = `${stall.reason}@${stall.since}`;
      if (state.reported === key) return false;
      state.reported = key;
      return true;
    });
  }

  private stallOf(partition: number, state: PartitionState, now: number): PartitionStall | undefined {
    const { batch } = state;
    let reason: PartitionStall['reason'];
    let since: number;
    if (batch !== undefined) [reason, since] = ['batch_not_committed', batch.since];
    // Records waiting count from when a measurement first saw them, or from the consumer's last move
    // if that is later: never from before they can have been there.
    else if (state.lag && state.behindSince !== undefined)
      [reason, since] = ['no_batch_fetched', Math.max(state.behindSince, this.loopAdvancedAt ?? 0)];
    else return undefined;
    if (now - since < this.stallAfterMs) return undefined;
    return {
      topic: this.topic,
      partition,
      reason,
      since: new Date(since).toISOString(),
      forMs: now - since,
      ...(batch?.error !== undefined ? { error: batch.error } : {}),
    };
  }
}

/** Kafka timestamps are milliseconds since the epoch; -1 (or garbage) means the record has none. */
function validTimestamp(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

/** Records between a group's committed offset and a partition's end (never negative). */
export function partitionLag(
  offsets: { committed: string; low: string; high: string },
  fromBeginning: boolean,
): number {
  const high = BigInt(offsets.high);
  // Without a committed offset the group starts at the beginning, or at the end (nothing behind).
  const position =
    offsets.committed === '-1' || offsets.committed === ''
      ? fromBeginning
        ? BigInt(offsets.low)
        : high
      : BigInt(offsets.committed);
  return high > position ? Number(high - position) : 0;
}
