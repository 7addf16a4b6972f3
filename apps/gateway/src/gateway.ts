import 'reflect-metadata';
import { AnalyticsQueries, ErasureLog } from '@chronicle/analytics';
import { getDefaultActivityCatalog } from '@chronicle/contracts';
import {
  ActivityQueries,
  assertEventsStoreMigrated,
  createEventsDataSource,
  ErasureStore,
  resolvePseudonyms,
} from '@chronicle/events-store';
import { createKafkaClient, KafkaProbe, RecordPublisher, retryWithBackoff } from '@chronicle/kafka';
import {
  cachedHealth,
  checkDependency,
  createLogger,
  createMetricsRegistry,
  errorMessage,
  registerBuildInfo,
  trackReadiness,
  type HealthReport,
  type Logger,
} from '@chronicle/observability';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { TokenVerifier } from './auth/token-verifier';
import type { GatewayConfig } from './gateway.config';
import { GatewayMetrics } from './gateway.metrics';
import { GatewayModule, type GatewayResources } from './gateway.module';
import { serveWebPages } from './http/web-pages';
import { startGraphqlSubscriptions } from './graphql/graphql-subscriptions.server';
import { nestLogger } from './http/nest-logger';
import { ApiDocsController } from './openapi/api-docs.controller';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { createGatewayLimits } from './limits/gateway-limits';
import { LiveFeed } from './live/live-feed';
import { requestMetrics } from './ops/request-metrics.middleware';

/** How long /health/ready reuses its last answer. */
const HEALTH_MAX_AGE_MS = 1_000;

export interface GatewayOptions {
  logger?: Logger;
  registry?: Registry;
}

export interface Gateway {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops taking requests, ends live streams, flushes the audit events, then closes every connection. */
  stop(): Promise<void>;
}

/**
 * Connects the gateway to its stores and Kafka, then serves REST, GraphQL (HTTP and graphql-ws), the
 * live feed, the API docs, /health and /metrics on one port.
 */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger('gateway');
  const registry = options.registry ?? createMetricsRegistry({ defaultLabels: { service: 'gateway' } });
  const metrics = new GatewayMetrics(registry);
  registerBuildInfo(registry, 'gateway');
  const catalog = getDefaultActivityCatalog();

  const dataSource = createEventsDataSource({
    url: config.databaseUrl,
    poolSize: config.dbPoolSize,
    applicationName: 'chronicle-gateway',
    statementTimeoutMs: config.statementTimeoutMs,
    idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs,
  });
  // Downloads hold their connection as long as their client takes: never from the request pool.
  const exportDataSource = createEventsDataSource({
    url: config.databaseUrl,
    poolSize: config.exports.maxConcurrent,
    applicationName: 'chronicle-gateway-export',
    statementTimeoutMs: config.exports.statementTimeoutMs,
    idleInTransactionTimeoutMs: config.idleInTransactionTimeoutMs,
  });
  await retryWithBackoff(() => dataSource.initialize(), {
    onRetry: (error, attempt, delayMs) =>
      logger.warn('Postgres not reachable; retrying', { attempt, delayMs, error: errorMessage(error) }),
  });
  await assertEventsStoreMigrated(dataSource);
  await exportDataSource.initialize();
  const clickhouse = createClient({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    ...config.clickhouseAuth,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 30_000,
  });
  const kafkaClient = {
    brokers: config.brokers,
    clientId: 'chronicle-gateway',
    log: (line: string) => logger.error(line),
    security: config.kafkaSecurity,
  };
  const kafka = createKafkaClient(kafkaClient);
  const kafkaProbe = new KafkaProbe(kafkaClient);
  const publisher = new RecordPublisher(kafka);
  await publisher.connect();
  const liveFeed = new LiveFeed(kafka, config.topics.events, catalog, metrics, logger);
  await liveFeed.start();

  // Public and polled: the engines are asked at most once a second, however many probes call. Also
  // evaluated on a timer, for chronicle_service_ready.
  const readiness = trackReadiness(
    registry,
    cachedHealth(async (): Promise<HealthReport> => {
      const [postgres, clickhouseHealth, broker] = await Promise.all([
        checkDependency(() => dataSource.query('SELECT 1')),
        checkDependency(async () => {
          const ping = await clickhouse.ping();
          if (!ping.success) throw ping.error;
        }),
        checkDependency(() => kafkaProbe.check()),
      ]);
      const live = { ok: liveFeed.ready };
      return {
        ok: postgres.ok && clickhouseHealth.ok && broker.ok && live.ok,
        details: { postgres, clickhouse: clickhouseHealth, kafka: broker, liveFeed: live },
      };
    }, HEALTH_MAX_AGE_MS),
  );
  const rateLimitStorage = new ThrottlerStorageService();
  const resources: GatewayResources = {
    config,
    logger,
    registry,
    metrics,
    dataSource,
    activities: new ActivityQueries(dataSource),
    analytics: new AnalyticsQueries(clickhouse, {
      database: config.clickhouseDatabase,
      catalog,
      // ClickHouse holds pseudonyms only; the people behind them are in Postgres (docs/privacy.md).
      resolvePseudonyms: (keys) => resolvePseudonyms(dataSource, keys),
      timeZone: config.analyticsTimeZone,
      cacheRows: config.analyticsCacheRows,
    }),
    erasureStore: new ErasureStore(dataSource),
    erasureLog: new ErasureLog(clickhouse, config.clickhouseDatabase),
    publisher,
    liveFeed,
    verifier: await TokenVerifier.create(config.jwt),
    readiness: readiness.check,
    rateLimitStorage,
    exportDataSource,
    limits: createGatewayLimits(config),
  };
  metrics.observeAnalyticsCache(registry, () => resources.analytics.cacheStats);

  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(resources), {
    bodyParser: false,
    logger: nestLogger(logger),
  });
  app.disable('x-powered-by');
  app.use(requestMetrics(metrics));
  app.use(helmet());
  if (config.corsOrigins.length > 0)
    app.enableCors({
      origin: config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'X-API-Key'],
    });
  app.use('/api/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1h' }));
  serveWebPages(app, config.webDir, logger);
  app.get(ApiDocsController).serveOpenApi(buildOpenApiDocument(app));
  await app.listen(config.port, config.host);

  const server = app.getHttpServer() as Server;
  const subscriptions = startGraphqlSubscriptions(server, {
    schema: app.get(GraphQLSchemaHost).schema,
    verifier: resources.verifier,
    operations: resources.limits.graphqlOperations,
    rateLimit: { storage: resources.rateLimitStorage, perMinute: config.rateLimitPerMinute },
    logger,
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info('gateway started', { url, docs: `${url}/api/docs`, graphql: `${url}/graphql` });
  if (config.devSignIn)
    logger.warn('dev sign-in is on (GATEWAY_DEV_SIGN_IN): anyone reaching the gateway can mint a token', {
      route: `${url}/api/dev/token`,
    });

  return {
    url,
    port,
    async stop() {
      readiness.stop();
      await subscriptions.close();
      // Live streams never end on their own; cut them so that the server can close.
      server.closeAllConnections();
      await app.close();
      await liveFeed.stop();
      rateLimitStorage.onApplicationShutdown();
      await publisher.disconnect();
      await kafkaProbe.close();
      await clickhouse.close();
      await exportDataSource.destroy();
      await dataSource.destroy();
      logger.info('gateway stopped');
    },
  };
}
