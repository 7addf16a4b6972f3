import { AnalyticsQueries, ErasureLog } from '@chronicle/analytics';
import { ActivityQueries, ErasureStore } from '@chronicle/events-store';
import { RecordPublisher } from '@chronicle/kafka';
import type { Logger } from '@chronicle/observability';
import { ActivityClient, ActivityModule } from '@chronicle/sdk/nest';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ActivityExporter } from './activity/activity-exporter';
import { AdminActivityController } from './activity/admin-activity.controller';
import { MyActivityController } from './activity/my-activity.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { AccessGuard, API_KEYS } from './auth/access.guard';
import { DevTokenController } from './auth/dev-token.controller';
import { TokenVerifier } from './auth/token-verifier';
import { EventsCollectorController } from './collector/events-collector.controller';
import { ErasureController } from './erasure/erasure.controller';
import type { GatewayConfig } from './gateway.config';
import { GatewayMetrics } from './gateway.metrics';
import {
  EXPORT_DATA_SOURCE,
  GATEWAY_LIMITS,
  GATEWAY_CONFIG,
  LOGGER,
  METRICS_REGISTRY,
  READINESS,
  type Readiness,
} from './gateway.tokens';
import { GRAPHQL_RESOLVERS, graphqlApiModule } from './graphql/graphql-api.module';
import { GraphqlHttpMiddleware } from './graphql/graphql-http.middleware';
import { GRAPHQL_SERVICES, type GraphqlServices } from './graphql/graphql-services';
import { HttpErrorFilter } from './http/http-error.filter';
import { JsonBodyInterceptor } from './http/json-body.interceptor';
import { RestThrottlerGuard } from './http/rest-throttler.guard';
import {
  RATE_LIMIT_THROTTLER,
  RATE_LIMIT_WINDOW_MS,
  rateLimitBucket,
  rateLimitTracker,
} from './http/rate-limit';
import { LiveFeed } from './live/live-feed';
import { ApiDocsController } from './openapi/api-docs.controller';
import type { GatewayLimits } from './limits/gateway-limits';
import { HealthController } from './ops/health.controller';

/*
 * Every injected constructor parameter in the gateway names its token with @Inject(...): the apps run
 * under tsx (esbuild), which emits no decorator metadata for Nest to infer the types from.
 */

/** What the gateway connects to before Nest starts; the module only wires it to the routes. */
export interface GatewayResources {
  config: GatewayConfig;
  logger: Logger;
  registry: Registry;
  metrics: GatewayMetrics;
  dataSource: DataSource;
  activities: ActivityQueries;
  analytics: AnalyticsQueries;
  erasureStore: ErasureStore;
  erasureLog: ErasureLog;
  publisher: RecordPublisher;
  liveFeed: LiveFeed;
  verifier: TokenVerifier;
  readiness: Readiness;
  /** The rate limit's counts, one store for REST, GraphQL over HTTP and graphql-ws. */
  rateLimitStorage: ThrottlerStorage;
  /** The events database's export pool: its own connections, capped (see GatewayConfig.exports). */
  exportDataSource: DataSource;
  limits: GatewayLimits;
}

@Module({})
export class GatewayModule implements NestModule {
  static forRoot(resources: GatewayResources): DynamicModule {
    const { config } = resources;
    return {
      module: GatewayModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            { name: RATE_LIMIT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, limit: config.rateLimitPerMinute },
          ],
          // Shared with GraphQL (graphql-http.middleware.ts, the graphql-ws server), which spends the same budgets.
          storage: resources.rateLimitStorage,
          getTracker: rateLimitTracker({ verifier: resources.verifier, apiKeys: config.apiKeys }),
          generateKey: rateLimitBucket,
        }),
        // The gateway's own audit events (admin reads and exports) go out through the SDK, like any producer's.
        ActivityModule.forRoot({
          source: config.auditSource,
          brokers: config.brokers,
          security: config.kafkaSecurity,
          topic: config.topics.events,
          registry: resources.registry,
          logger: { warn: (message) => resources.logger.warn(message) },
        }),
        graphqlApiModule(resources.logger),
      ],
      controllers: [
        HealthController,
        ApiDocsController,
        MyActivityController,
        ErasureController,
        AdminActivityController,
        AnalyticsController,
        EventsCollectorController,
        // Local only: without the flag the route does not exist (404), rather than refusing.
        ...(config.devSignIn ? [DevTokenController] : []),
      ],
      providers: [
        // Order matters: the rate limit counts every call, even those the access check then refuses.
        { provide: APP_GUARD, useClass: RestThrottlerGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        // After both guards: a caller they turn away never has its body parsed.
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: LOGGER, useValue: resources.logger },
        { provide: METRICS_REGISTRY, useValue: resources.registry },
        { provide: READINESS, useValue: resources.readiness },
        { provide: EXPORT_DATA_SOURCE, useValue: resources.exportDataSource },
        { provide: GATEWAY_LIMITS, useValue: resources.limits },
        { provide: API_KEYS, useValue: config.apiKeys },
        { provide: GatewayMetrics, useValue: resources.metrics },
        { provide: TokenVerifier, useValue: resources.verifier },
        { provide: ActivityQueries, useValue: resources.activities },
        { provide: AnalyticsQueries, useValue: resources.analytics },
        { provide: ErasureStore, useValue: resources.erasureStore },
        { provide: ErasureLog, useValue: resources.erasureLog },
        { provide: RecordPublisher, useValue: resources.publisher },
        { provide: LiveFeed, useValue: resources.liveFeed },
        ActivityExporter,
        {
          provide: GRAPHQL_SERVICES,
          useFactory: (audit: ActivityClient): GraphqlServices => ({
            activities: resources.activities,
            analytics: resources.analytics,
            liveFeed: resources.liveFeed,
            liveStreams: resources.limits.liveStreams,
            audit,
          }),
          inject: [ActivityClient],
        },
        ...GRAPHQL_RESOLVERS,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Before Apollo Server's own middleware, which the GraphQL module mounts at /graphql on start.
    consumer.apply(GraphqlHttpMiddleware).forRoutes('graphql');
  }
}
