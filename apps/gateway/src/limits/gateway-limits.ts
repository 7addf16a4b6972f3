import type { GatewayConfig } from '../gateway.config';
import { ConcurrencyLimit } from './concurrency-limit';

/** What callers hold at once, capped per caller and in all (see GatewayConfig.exports and .live). */
export interface GatewayLimits {
  /** Downloads in progress; each holds a connection of the export pool. */
  exports: ConcurrencyLimit;
  /** SSE streams and graphql-ws subscriptions together. */
  liveStreams: ConcurrencyLimit;
  /** GraphQL queries running, over HTTP and graphql-ws together; the request pool bounds them in all. */
  graphqlOperations: ConcurrencyLimit;
}

export function createGatewayLimits(
  config: Pick<GatewayConfig, 'exports' | 'live' | 'graphqlMaxInFlightPerCaller'>,
): GatewayLimits {
  return {
    exports: new ConcurrencyLimit(
      'exports',
      { perCaller: config.exports.maxPerCaller, overall: config.exports.maxConcurrent },
      30,
    ),
    liveStreams: new ConcurrencyLimit(
      'live streams',
      { perCaller: config.live.maxPerCaller, overall: config.live.maxConcurrent },
      60,
    ),
    graphqlOperations: new ConcurrencyLimit(
      'GraphQL operations running',
      { perCaller: config.graphqlMaxInFlightPerCaller, overall: Number.POSITIVE_INFINITY },
      1,
    ),
  };
}
