import type { ActivityFilter, ActivityRecord } from '@chronicle/events-store';
import type { LiveFeed, LiveListener } from './live-feed';
import { liveActivities, MAX_QUEUED } from './live-iterator';

/** A feed that hands what the test publishes to its subscribers, and counts them. */
class FakeFeed {
  readonly listeners = new Set<LiveListener>();
  readonly filters: ActivityFilter[] = [];

  subscribe(filter: ActivityFilter, listener: LiveListener): () => void {
    this.filters.push(filter);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(activity: ActivityRecord): void {
    for (const listener of this.listeners) listener(activity);
  }

  asFeed(): LiveFeed {
    return this as unknown as LiveFeed;
  }
}

function activity(id: string): ActivityRecord {
  return {
    id,
    occurredAt: '2026-11-22T10:00:00.000Z',
    receivedAt: '2026-11-22T10:00:00.100Z',
    actor: { type: 'user', id: 'u_123' },
    type: 'app.viewed',
    entity: null,
    source: '/services/web',
    metadata: {},
    context: null,
  };
}

describe('liveActivities', () => {
  it('subscribes with the filter at once', () => {
    const feed = new FakeFeed();
    const filter: ActivityFilter = { types: ['app.viewed'] };
    liveActivities(feed.asFeed(), filter);
    expect(feed.filters).toEqual([filter]);
    expect(feed.listeners.size).toBe(1);
  });

  it('gives queued activities in the order they were published', async () => {
    const feed = new FakeFeed();
    const iterator = liveActivities(feed.asFeed(), {});
    feed.publish(activity('a'));
    feed.publish(activity('b'));
    feed.publish(activity('c'));
    await expect(iterator.next()).resolves.toEqual({ value: activity('a'), done: false });
    await expect(iterator.next()).resolves.toEqual({ value: activity('b'), done: false });
    await expect(iterator.next()).resolves.toEqual({ value: activity('c'), done: false });
  });

  it('resolves a waiting next() when an activity is published', async () => {
    const feed = new FakeFeed();
    const iterator = liveActivities(feed.asFeed(), {});
    let settled = false;
    const pending = iterator.next().then((result) => {
      settled = true;
      return result;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    feed.publish(activity('a'));
    await expect(pending).resolves.toEqual({ value: activity('a'), done: false });
    feed.publish(activity('b'));
    await expect(iterator.next()).resolves.toEqual({ value: activity('b'), done: false });
  });

  it('leaves the feed on return() and ends, also a next() that was waiting', async () => {
    const feed = new FakeFeed();
    const onEnd = jest.fn();
    const iterator = liveActivities(feed.asFeed(), {}, onEnd);
    const pending = iterator.next();
    await expect(iterator.return?.()).resolves.toEqual({ value: undefined, done: true });
    await iterator.return?.();
    expect(feed.listeners.size).toBe(0);
    expect(onEnd).toHaveBeenCalledTimes(1);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('works with for await, which calls return() on break', async () => {
    const feed = new FakeFeed();
    const iterator = liveActivities(feed.asFeed(), {});
    feed.publish(activity('a'));
    feed.publish(activity('b'));
    const seen: string[] = [];
    for await (const record of iterator) {
      seen.push(record.id);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['a', 'b']);
    expect(feed.listeners.size).toBe(0);
  });

  it('ends a subscriber that falls too far behind, after what it had queued', async () => {
    const feed = new FakeFeed();
    const onEnd = jest.fn();
    const iterator = liveActivities(feed.asFeed(), {}, onEnd);
    for (let i = 0; i <= MAX_QUEUED; i++) feed.publish(activity(`a${i}`));
    expect(feed.listeners.size).toBe(0);
    expect(onEnd).toHaveBeenCalledTimes(1);
    let delivered = 0;
    for await (const _ of iterator) delivered++;
    expect(delivered).toBe(MAX_QUEUED);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});
