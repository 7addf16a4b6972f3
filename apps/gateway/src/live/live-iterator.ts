import type { ActivityFilter, ActivityRecord } from '@chronicle/events-store';
import type { LiveFeed } from './live-feed';

/** A subscriber that falls this far behind is ended rather than buffered for without bound. */
export const MAX_QUEUED = 1_000;

/**
 * The live feed as an async iterator, for GraphQL subscriptions: activities queue until the consumer
 * pulls them; `return()` (the client unsubscribed or went away) leaves the feed. `onEnd` runs once
 * when the subscription leaves the feed, however it ends.
 */
export function liveActivities(
  feed: LiveFeed,
  filter: ActivityFilter,
  onEnd: () => void = () => undefined,
): AsyncIterableIterator<ActivityRecord> {
  const queue: ActivityRecord[] = [];
  let waiting: ((result: IteratorResult<ActivityRecord>) => void) | undefined;
  let done = false;
  const finish = () => {
    if (!done) onEnd();
    done = true;
    unsubscribe();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const unsubscribe = feed.subscribe(filter, (activity) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: activity, done: false });
    } else if (queue.length < MAX_QUEUED) queue.push(activity);
    else finish();
  });
  const iterator: AsyncIterableIterator<ActivityRecord> = {
    next() {
      const value = queue.shift();
      if (value !== undefined) return Promise.resolve({ value, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
