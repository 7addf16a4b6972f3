import type { AnalyticsQueries, ErasureLog } from '@chronicle/analytics';
import type { ActivityQueries, ErasureStore } from '@chronicle/events-store';
import type { RecordPublisher } from '@chronicle/kafka';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { TokenVerifier } from '../auth/token-verifier';
import { loadGatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../gateway.metrics';
import { GatewayModule, type GatewayResources } from '../gateway.module';
import type { LiveFeed } from '../live/live-feed';
import { createGatewayLimits } from '../limits/gateway-limits';

/**
 * A stand-in for a connection the routes would use: building the document and listing the routes read
 * the controllers' metadata only, and no request is ever served, so nothing calls it.
 */
const unused = <T>(): T => ({}) as T;

/**
 * The gateway's Nest application with its production module, connected to nothing: for the OpenAPI
 * document (`npm run docs:openapi`) and the tests that compare it with the routes. Nothing listens;
 * the engines' addresses are placeholders nothing dials.
 */
export async function createDocumentedGateway(
  options: { devSignIn: boolean } = { devSignIn: true },
): Promise<NestExpressApplication> {
  const config = loadGatewayConfig({
    DATABASE_URL: 'postgres://chronicle@127.0.0.1:9/chronicle',
    CLICKHOUSE_URL: 'http://127.0.0.1:9',
    KAFKA_BROKERS: '127.0.0.1:9',
    JWT_HS256_SECRET: 'the-documented-gateway-verifies-nothing',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_DEV_SIGN_IN: String(options.devSignIn),
  });
  const registry = new Registry();
  const resources: GatewayResources = {
    config,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    registry,
    metrics: new GatewayMetrics(registry),
    dataSource: unused<DataSource>(),
    activities: unused<ActivityQueries>(),
    analytics: unused<AnalyticsQueries>(),
    erasureStore: unused<ErasureStore>(),
    erasureLog: unused<ErasureLog>(),
    publisher: unused<RecordPublisher>(),
    liveFeed: unused<LiveFeed>(),
    verifier: unused<TokenVerifier>(),
    readiness: unused(),
    rateLimitStorage: unused<ThrottlerStorage>(),
    exportDataSource: unused<DataSource>(),
    limits: createGatewayLimits(config),
  };
  return NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(resources), {
    bodyParser: false,
    logger: false,
    // A wiring error is thrown to the caller (a test, the docs script), not a process exit.
    abortOnError: false,
  });
}
