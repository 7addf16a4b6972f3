import type { AnalyticsQueries } from '@chronicle/analytics';
import type { ActivityQueries } from '@chronicle/events-store';
import type { ActivityClient } from '@chronicle/sdk/nest';
import type { ConcurrencyLimit } from '../limits/concurrency-limit';
import type { LiveFeed } from '../live/live-feed';

export const GRAPHQL_SERVICES = Symbol('GRAPHQL_SERVICES');

/** What the resolvers read: the same stores, live feed and audit client as REST. */
export interface GraphqlServices {
  activities: ActivityQueries;
  analytics: AnalyticsQueries;
  liveFeed: LiveFeed;
  /** Subscriptions count against the same per-caller cap as SSE streams. */
  liveStreams: ConcurrencyLimit;
  audit: ActivityClient;
}
