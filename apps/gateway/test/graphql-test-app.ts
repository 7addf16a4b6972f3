import type { AnalyticsQueries } from '@chronicle/analytics';
import type { ActivityFilter, ActivityQueries, ActivityRecord } from '@chronicle/events-store';
import type { ActivityInput } from '@chronicle/contracts';
import { Module, type INestApplication, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ThrottlerModule, ThrottlerStorageService } from '@nestjs/throttler';
import { AccessGuard, API_KEYS } from '../src/auth/access.guard';
import { mintLocalToken } from '../src/auth/local-token';
import { TokenVerifier } from '../src/auth/token-verifier';
import { loadGatewayConfig, type GatewayConfig } from '../src/gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LIMITS, LOGGER } from '../src/gateway.tokens';
import { GRAPHQL_RESOLVERS, graphqlApiModule } from '../src/graphql/graphql-api.module';
import { GraphqlHttpMiddleware } from '../src/graphql/graphql-http.middleware';
import { GRAPHQL_SERVICES, type GraphqlServices } from '../src/graphql/graphql-services';
import { HttpErrorFilter } from '../src/http/http-error.filter';
import { RestThrottlerGuard } from '../src/http/rest-throttler.guard';
import {
  RATE_LIMIT_THROTTLER,
  RATE_LIMIT_WINDOW_MS,
  rateLimitBucket,
  rateLimitTracker,
} from '../src/http/rate-limit';
import { createGatewayLimits, type GatewayLimits } from '../src/limits/gateway-limits';
import type { LiveFeed } from '../src/live/live-feed';

const SECRET = 'a-graphql-test-secret-of-32-bytes-at-least';

/** The stores behind the resolvers: `page` answers what `pages` holds, recording the filters asked for. */
export interface FakeStores {
  pages: ActivityRecord[];
  filters: ActivityFilter[];
  /** When set, `page` waits for it: a query that is still running. */
  pageGate?: Promise<void>;
  analytics: Partial<Record<keyof AnalyticsQueries, jest.Mock>>;
  audit: ActivityInput[];
  /** Publishes an activity to the live feed's subscribers. */
  publish(activity: ActivityRecord): void;
}

export interface GraphqlTestApp {
  app: INestApplication;
  config: GatewayConfig;
  verifier: TokenVerifier;
  limits: GatewayLimits;
  stores: FakeStores;
  storage: ThrottlerStorageService;
  logger: { info: jest.Mock; warn: jest.Mock; error: jest.Mock };
  token(userId: string, admin?: boolean): Promise<string>;
  close(): Promise<void>;
}

export const activityRecord = (
  id: string,
  type: string,
  metadata: Record<string, unknown>,
): ActivityRecord => ({
  id,
  occurredAt: '2026-11-22T10:00:00.000Z',
  receivedAt: '2026-11-22T10:00:00.100Z',
  actor: { type: 'user', id: 'u_1' },
  type,
  entity: { type: 'app', id: 'app_42' },
  source: '/services/web',
  metadata,
  context: null,
});

/**
 * The gateway's GraphQL wiring (its module, resolvers, guards, HTTP middleware and error filter) over
 * fake stores, with nothing else of the gateway: for unit tests of GraphQL over HTTP and graphql-ws.
 */
export async function createGraphqlTestApp(env: Record<string, string> = {}): Promise<GraphqlTestApp> {
  const config = loadGatewayConfig({
    DATABASE_URL: 'postgres://chronicle@localhost:5432/chronicle',
    CLICKHOUSE_URL: 'http://localhost:8123',
    KAFKA_BROKERS: 'localhost:9092',
    JWT_HS256_SECRET: SECRET,
    ...env,
  });
  const verifier = await TokenVerifier.create(config.jwt);
  const limits = createGatewayLimits(config);
  const storage = new ThrottlerStorageService();
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const listeners = new Set<(activity: ActivityRecord) => void>();
  const stores: FakeStores = {
    pages: [],
    filters: [],
    analytics: {},
    audit: [],
    publish: (activity) => listeners.forEach((listener) => listener(activity)),
  };
  const services: GraphqlServices = {
    activities: {
      page: async (filter: ActivityFilter) => {
        stores.filters.push(filter);
        await stores.pageGate;
        return { items: stores.pages, next: null };
      },
    } as unknown as ActivityQueries,
    analytics: new Proxy({} as AnalyticsQueries, {
      // The default zone is a property, not a query: UTC, as unconfigured.
      get: (_, name: keyof AnalyticsQueries) =>
        name === 'timeZone' ? 'UTC' : (stores.analytics[name] ?? (async () => [])),
    }),
    liveFeed: {
      subscribe: (_filter: ActivityFilter, listener: (activity: ActivityRecord) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    } as unknown as LiveFeed,
    liveStreams: limits.liveStreams,
    audit: { log: (event: ActivityInput) => stores.audit.push(event) } as unknown as GraphqlServices['audit'],
  };

  @Module({
    imports: [
      ThrottlerModule.forRoot({
        throttlers: [
          { name: RATE_LIMIT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, limit: config.rateLimitPerMinute },
        ],
        storage,
        getTracker: rateLimitTracker({ verifier, apiKeys: config.apiKeys }),
        generateKey: rateLimitBucket,
      }),
      graphqlApiModule(logger),
    ],
    providers: [
      { provide: APP_GUARD, useClass: RestThrottlerGuard },
      { provide: APP_GUARD, useClass: AccessGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
      { provide: GATEWAY_CONFIG, useValue: config },
      { provide: GATEWAY_LIMITS, useValue: limits },
      { provide: LOGGER, useValue: logger },
      { provide: API_KEYS, useValue: config.apiKeys },
      { provide: TokenVerifier, useValue: verifier },
      { provide: GRAPHQL_SERVICES, useValue: services },
      ...GRAPHQL_RESOLVERS,
    ],
  })
  class GraphqlTestModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(GraphqlHttpMiddleware).forRoutes('graphql');
    }
  }

  const moduleRef = await Test.createTestingModule({ imports: [GraphqlTestModule] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
  await app.init();
  return {
    app,
    config,
    verifier,
    limits,
    stores,
    storage,
    logger,
    token: (userId, admin = false) => mintLocalToken({ secret: SECRET, userId, admin }),
    async close() {
      await app.close();
      storage.onApplicationShutdown();
    },
  };
}
