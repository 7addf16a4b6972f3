import { partitionLag, PartitionProgress } from './partition-progress';

const STALL_AFTER_MS = 10_000;

describe('partitionLag', () => {
  it('counts the records between the committed offset and the end', () => {
    expect(partitionLag({ committed: '40', low: '0', high: '100' }, true)).toBe(60);
    expect(partitionLag({ committed: '100', low: '0', high: '100' }, true)).toBe(0);
  });

  it('without a committed offset, starts where the group would: the beginning, or the end', () => {
    expect(partitionLag({ committed: '-1', low: '20', high: '100' }, true)).toBe(80);
    expect(partitionLag({ committed: '-1', low: '20', high: '100' }, false)).toBe(0);
  });

  it('is never negative (the commit read after the end moved past it)', () => {
    expect(partitionLag({ committed: '105', low: '0', high: '100' }, true)).toBe(0);
  });
});

describe('PartitionProgress', () => {
  it('owns the assigned partitions, and says which ones a rebalance took away', () => {
    const progress = new PartitionProgress('events', STALL_AFTER_MS);
    expect(progress.assign([0, 1, 2], 0)).toEqual([]);
    expect(progress.assign([1, 2, 3], 0)).toEqual([0]);
    expect(progress.owned().sort()).toEqual([1, 2, 3]);
    expect(progress.clear().sort()).toEqual([1, 2, 3]);
    expect(progress.owned()).toEqual([]);
  });

  describe('lag in seconds', () => {
    it('is 0 when caught up, and the age of the first record of the batch in flight', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 0, 1_000);
      expect(progress.lagSeconds(0, 5_000)).toBe(0);
      progress.batchStarted(0, 4_000, 6_000);
      progress.measured(0, 20, 6_000);
      expect(progress.lagSeconds(0, 9_000)).toBe(5);
      // A retried batch keeps its first record.
      progress.batchStarted(0, 8_000, 9_500);
      expect(progress.lagSeconds(0, 10_000)).toBe(6);
    });

    it('between batches, is bounded by the last record committed here', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 500, 100);
      progress.batchStarted(0, 1_000, 2_000);
      progress.batchEnded(0, 3_000, 1_800);
      progress.measured(0, 300, 3_500);
      expect(progress.lagSeconds(0, 4_000)).toBe(2.2);
    });

    it('after an idle time, is bounded by the last measurement that found it caught up', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.batchStarted(0, 1_000, 1_000);
      progress.batchEnded(0, 1_100, 1_000);
      progress.measured(0, 0, 60_000);
      progress.measured(0, 1, 65_000);
      expect(progress.lagSeconds(0, 66_000)).toBe(6);
    });

    it('with nothing known (a backlog just taken over), is at least the time since it was first measured', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 1_000, 2_000);
      progress.measured(0, 1_000, 7_000);
      expect(progress.lagSeconds(0, 9_000)).toBe(7);
    });

    it('keeps growing while the partition does not move', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.batchStarted(0, 500, 1_000);
      progress.measured(0, 10, 1_000);
      expect(progress.lagSeconds(0, 11_000)).toBeLessThan(progress.lagSeconds(0, 21_000));
    });
  });

  describe('stalls', () => {
    it('reports a batch neither committed nor given up, with when it arrived and its last error', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0, 1], 0);
      progress.batchStarted(1, 1_000, 1_000);
      progress.batchFailed(1, '[42501] permission denied for table activity_events');
      expect(progress.stalls(10_999)).toEqual([]);
      expect(progress.stalls(11_000)).toEqual([
        {
          topic: 'events',
          partition: 1,
          reason: 'batch_not_committed',
          since: new Date(1_000).toISOString(),
          forMs: 10_000,
          error: '[42501] permission denied for table activity_events',
        },
      ]);
      progress.batchEnded(1, 12_000, 900);
      expect(progress.stalls(13_000)).toEqual([]);
    });

    it('reports records waiting with no batch handed over since they were first seen', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 0, 5_000);
      progress.measured(0, 12, 10_000);
      progress.measured(0, 15, 15_000);
      expect(progress.stalls(19_999)).toEqual([]);
      expect(progress.stalls(20_000)).toEqual([
        {
          topic: 'events',
          partition: 0,
          reason: 'no_batch_fetched',
          since: new Date(10_000).toISOString(),
          forMs: 10_000,
        },
      ]);
      progress.batchStarted(0, 9_000, 21_000);
      expect(progress.stalls(22_000)).toEqual([]);
    });

    it('counts records waiting from the last move of the partition when that is later', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 100, 1_000);
      progress.batchStarted(0, 500, 2_000);
      progress.batchEnded(0, 3_000, 600);
      progress.measured(0, 50, 4_000);
      expect(progress.stalls(12_999)).toEqual([]);
      expect(progress.stalls(13_000)).toMatchObject([{ reason: 'no_batch_fetched', forMs: 10_000 }]);
    });

    it('does not count a partition waiting its turn while the consumer moves others', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0, 1], 0);
      progress.measured(1, 10, 1_000);
      for (let at = 2_000; at <= 30_000; at += 4_000) {
        progress.batchStarted(0, at - 500, at);
        progress.batchEnded(0, at + 2_000, at - 100);
      }
      expect(progress.stalls(32_000)).toEqual([]);
      expect(progress.stalls(42_000)).toMatchObject([
        { partition: 1, reason: 'no_batch_fetched', since: new Date(32_000).toISOString() },
      ]);
    });

    it('does not count an idle partition as stalled', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.measured(0, 0, 1_000);
      expect(progress.stalls(1_000_000)).toEqual([]);
    });

    it('tells each stall once, until the partition moves again', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.batchStarted(0, 1, 0);
      expect(progress.newStalls(10_000)).toHaveLength(1);
      expect(progress.newStalls(20_000)).toEqual([]);
      progress.batchEnded(0, 21_000, 2);
      progress.batchStarted(0, 3, 21_000);
      expect(progress.newStalls(31_000)).toHaveLength(1);
    });

    it('forgets the partitions a rebalance took away', () => {
      const progress = new PartitionProgress('events', STALL_AFTER_MS);
      progress.assign([0], 0);
      progress.batchStarted(0, 1, 0);
      progress.assign([1], 1_000);
      expect(progress.stalls(60_000)).toEqual([]);
    });
  });
});
