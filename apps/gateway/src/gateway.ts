import 'reflect-metadata';
import { AnalyticsQueries, ErasureLog } from '@chronicle/analytics';
import { getDefaultActivityCatalog } from '@chronicle/contracts';
import {
  ActivityQueries,
  assertEventsStoreMigrated,
  createEventsDataSource,
  ErasureStore,
} from '@chronicle/events-store';
import { createKafkaClient, KafkaProbe, RecordPublisher, retryWithBackoff } from '@chronicle/kafka';
import {
  checkDependency,
  createLogger,
  createMetricsRegistry,
  errorMessage,
  type HealthReport,
  type Logger,
} from '@chronicle/observability';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { TokenVerifier } from './auth/token-verifier';
import { DEFAULT_WEB_DIR, type GatewayConfig } from './gateway.config';
import { GatewayMetrics } from './gateway.metrics';
import { GatewayModule, type GatewayResources } from './gateway.module';
import { ActivityClient } from '@chronicle/sdk/nest';
import { startGraphqlSubscriptions } from './graphql/graphql-subscriptions.server';
import { jsonBody } from './http/json-body.middleware';
import { nestLogger } from './http/nest-logger';
import { LiveFeed } from './live/live-feed';
import { requestMetrics } from './ops/request-metrics.middleware';

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
  const catalog = getDefaultActivityCatalog();

  const dataSource = createEventsDataSource({
    url: config.databaseUrl,
    poolSize: config.dbPoolSize,
    applicationName: 'chronicle-gateway',
  });
  await retryWithBackoff(() => dataSource.initialize(), {
    onRetry: (error, attempt, delayMs) =>
      logger.warn('Postgres not reachable; retrying', { attempt, delayMs, error: errorMessage(error) }),
  });
  await assertEventsStoreMigrated(dataSource);
  const clickhouse = createClient({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    log: { level: ClickHouseLogLevel.OFF },
    request_timeout: 30_000,
  });
  const kafka = createKafkaClient({
    brokers: config.brokers,
    clientId: 'chronicle-gateway',
    log: (line) => logger.error(line),
  });
  const kafkaProbe = new KafkaProbe(kafka);
  const publisher = new RecordPublisher(kafka);
  await publisher.connect();
  const liveFeed = new LiveFeed(kafka, config.topics.events, catalog, metrics, logger);
  await liveFeed.start();

  const readiness = async (): Promise<HealthReport> => {
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
  };
  const resources: GatewayResources = {
    config,
    logger,
    registry,
    metrics,
    dataSource,
    activities: new ActivityQueries(dataSource),
    analytics: new AnalyticsQueries(clickhouse, { database: config.clickhouseDatabase, catalog }),
    erasureStore: new ErasureStore(dataSource),
    erasureLog: new ErasureLog(clickhouse, config.clickhouseDatabase),
    publisher,
    liveFeed,
    verifier: await TokenVerifier.create(config.jwt),
    readiness,
  };

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
  serveWebPages(app, config.webDir ?? DEFAULT_WEB_DIR, logger);
  app.use(jsonBody(config.bodyLimitBytes));
  await app.listen(config.port, config.host);

  const server = app.getHttpServer() as Server;
  const graphqlServices = {
    activities: resources.activities,
    analytics: resources.analytics,
    liveFeed,
    audit: app.get(ActivityClient),
  };
  const subscriptions = startGraphqlSubscriptions(server, resources.verifier, graphqlServices, logger);
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
      await subscriptions.close();
      // Live streams never end on their own; cut them so that the server can close.
      server.closeAllConnections();
      await app.close();
      await liveFeed.stop();
      await publisher.disconnect();
      await kafkaProbe.close();
      await clickhouse.close();
      await dataSource.destroy();
      logger.info('gateway stopped');
    },
  };
}

/** Paths that are never pages: the API and the operations routes keep their own answers (404 JSON included). */
const NOT_PAGES = /^\/(?:api|v1|graphql|health|metrics)(?:\/|$)/;

/**
 * Serves the built web pages (apps/web): the hashed assets, cached for good, and index.html for `/`
 * and every client route (`/activity`, `/me`, …), never cached, so a new build shows at once.
 */
function serveWebPages(app: NestExpressApplication, webDir: string, logger: Logger): void {
  const index = path.join(webDir, 'index.html');
  if (!existsSync(index)) {
    logger.warn('the web pages are not built (npm run build:web); / is not served', { webDir });
    return;
  }
  app.use(
    '/assets',
    express.static(path.join(webDir, 'assets'), { index: false, immutable: true, maxAge: '365d' }),
  );
  const files = express.static(webDir, { index: false, maxAge: 0 });
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_PAGES.test(request.path))
      return next();
    files(request, response, () => {
      // A client route has no file extension; anything else missing is a plain 404.
      if (path.extname(request.path) !== '') return next();
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(index);
    });
  });
}
