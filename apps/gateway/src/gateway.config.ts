import path from 'node:path';
import { isLoopbackAddress } from './http/loopback';
import {
  clickhouseConnection,
  ConfigError,
  GATEWAY_ENV,
  kafkaConnection,
  readEnv,
  type ClickHouseConnectionSettings,
  type Env,
  type EnvValues,
} from '@chronicle/config';
import type { AdmissionPolicy } from '@chronicle/contracts';
import type { KafkaSecurity } from '@chronicle/kafka';

/** Where the keys that verify bearer tokens come from; exactly one is configured. */
export type JwtKeySource =
  { kind: 'hs256'; secret: string } | { kind: 'rs256'; publicKeyPem: string } | { kind: 'jwks'; url: string };

export interface GatewayConfig {
  port: number;
  host: string;
  brokers: string[];
  /** TLS and SASL to the brokers; absent: PLAINTEXT. */
  kafkaSecurity?: KafkaSecurity;
  databaseUrl: string;
  clickhouseUrl: string;
  clickhouseDatabase: string;
  /** User, password and private CA of ClickHouse (CLICKHOUSE_USER, CLICKHOUSE_PASSWORD, CLICKHOUSE_CA_FILE). */
  clickhouseAuth?: Omit<ClickHouseConnectionSettings, 'url' | 'database'>;
  /** The zone of the analytics' days when a request names none (ANALYTICS_TIME_ZONE). */
  analyticsTimeZone: string;
  /** Rows of analytics results kept while their ClickHouse parts are unchanged; 0: none (ANALYTICS_CACHE_ROWS). */
  analyticsCacheRows: number;
  topics: { events: string; erasure: string };
  /** `clockSkewSeconds`: how long after `exp` (and before `nbf`) a token still passes; hosts' clocks drift a little. */
  jwt: { keys: JwtKeySource; issuer?: string; audience?: string; clockSkewSeconds: number };
  /** API key → the CloudEvents `source` its holder may publish as (POST /v1/events). */
  apiKeys: ReadonlyMap<string, string>;
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** Requests per minute per token (or API key, or address for anonymous calls). */
  rateLimitPerMinute: number;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** The `source` of the audit events the gateway itself logs (admin reads and exports). */
  auditSource: string;
  /**
   * What the collector accepts, by the contract's admission rule: the same MAX_FUTURE_SKEW_MS and
   * RETENTION_DAYS as the ingest worker, so that accepted means stored.
   */
  admission: AdmissionPolicy;
  dbPoolSize: number;
  /**
   * Server-side timeouts on every gateway connection to Postgres: a statement that runs longer is
   * cancelled, and a session left idle inside a transaction is ended by Postgres itself.
   */
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /**
   * Exports hold a connection for as long as the download lasts, so they have a pool of their own
   * (`maxConcurrent` connections, `maxPerCaller` of them per admin; 429 past either), a statement
   * timeout of their own, and are cut off when the client reads nothing for `sendStallMs`.
   */
  exports: { maxConcurrent: number; maxPerCaller: number; statementTimeoutMs: number };
  /** Live streams (SSE streams and graphql-ws subscriptions together): per caller and in all (429 past either). */
  live: { maxPerCaller: number; maxConcurrent: number };
  /**
   * GraphQL operations one caller may have running at once, over HTTP and graphql-ws together: one
   * document may run up to 12 store queries, so a caller's burst must not fill the request pool.
   */
  graphqlMaxInFlightPerCaller: number;
  /** A download or stream whose client has read nothing for this long, with bytes waiting, is cut off. */
  sendStallMs: number;
  /**
   * The built web pages (`vite build` of apps/web), served at `/`; unset: the repository's
   * apps/web/dist (DEFAULT_WEB_DIR). Pages that are not built are not served, and the API works all the same.
   */
  webDir: string;
  /**
   * `GATEWAY_DEV_SIGN_IN=true`: the public `POST /api/dev/token` mints a token for any user id, signed
   * with JWT_HS256_SECRET. For a local run only (`npm start` turns it on); anyone who reaches the
   * gateway can then act as anyone, admins included.
   */
  devSignIn: boolean;
}

/** apps/web's built pages from this file's place: apps/web/dist from source, dist/apps/web/dist from dist. */
export const DEFAULT_WEB_DIR = path.resolve(__dirname, '../../web/dist');

const MIN_API_KEY_LENGTH = 24;

/** The gateway's configuration from the environment (libs/config's GATEWAY_ENV); a bad value fails naming the variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const values = readEnv(GATEWAY_ENV, env);
  const kafka = kafkaConnection(values);
  const {
    url: clickhouseUrl,
    database: clickhouseDatabase,
    ...clickhouseAuth
  } = clickhouseConnection(values);
  const jwt: GatewayConfig['jwt'] = {
    keys: jwtKeySource(values),
    clockSkewSeconds: values.jwtClockSkewSeconds,
  };
  if (values.jwtIssuer) jwt.issuer = values.jwtIssuer;
  if (values.jwtAudience) jwt.audience = values.jwtAudience;
  const { devSignIn, host } = values;
  if (devSignIn && jwt.keys.kind !== 'hs256')
    throw new ConfigError(
      'GATEWAY_DEV_SIGN_IN needs JWT_HS256_SECRET: it signs the tokens it mints with that secret',
    );
  // Local unless told otherwise: a gateway reachable from the network is a choice, not a default.
  if (devSignIn && !isLoopbackAddress(host))
    throw new ConfigError(
      `GATEWAY_DEV_SIGN_IN works only on a gateway that listens on this machine alone (GATEWAY_HOST=127.0.0.1), not on ${host}: it mints admin tokens for whoever asks`,
    );
  return {
    port: values.port,
    host,
    brokers: kafka.brokers,
    ...(kafka.security ? { kafkaSecurity: kafka.security } : {}),
    databaseUrl: values.databaseUrl,
    clickhouseUrl,
    clickhouseDatabase,
    clickhouseAuth,
    analyticsTimeZone: values.analyticsTimeZone,
    analyticsCacheRows: values.analyticsCacheRows,
    topics: { events: values.eventsTopic, erasure: values.erasureTopic },
    jwt,
    apiKeys: parseApiKeys(values.apiKeys ?? ''),
    corsOrigins: values.corsOrigins,
    rateLimitPerMinute: values.rateLimitPerMinute,
    bodyLimitBytes: values.bodyLimitBytes,
    auditSource: values.auditSource,
    admission: { maxFutureMs: values.maxFutureMs, retentionDays: values.retentionDays },
    dbPoolSize: values.dbPoolSize,
    statementTimeoutMs: values.statementTimeoutMs,
    idleInTransactionTimeoutMs: values.idleInTransactionTimeoutMs,
    exports: {
      maxConcurrent: values.exportMaxConcurrent,
      maxPerCaller: values.exportMaxPerCaller,
      statementTimeoutMs: values.exportStatementTimeoutMs,
    },
    live: { maxPerCaller: values.liveMaxPerCaller, maxConcurrent: values.liveMaxStreams },
    graphqlMaxInFlightPerCaller: values.graphqlMaxInFlightPerCaller,
    sendStallMs: values.sendStallMs,
    webDir: values.webDir ? path.resolve(values.webDir) : DEFAULT_WEB_DIR,
    devSignIn,
  };
}

function jwtKeySource(values: EnvValues<typeof GATEWAY_ENV>): JwtKeySource {
  const { jwtHs256Secret: secret, jwtRs256PublicKey: pem, jwtJwksUrl: url } = values;
  const given = [secret, pem, url].filter(Boolean).length;
  if (given !== 1)
    throw new ConfigError(
      `set exactly one of JWT_HS256_SECRET, JWT_RS256_PUBLIC_KEY, JWT_JWKS_URL (got ${given})`,
    );
  if (secret) return { kind: 'hs256', secret };
  if (pem) return { kind: 'rs256', publicKeyPem: pem };
  return { kind: 'jwks', url: url as string };
}

/** `GATEWAY_API_KEYS="/services/web=key1,/services/tv-app=key2"`: one key per source. */
export function parseApiKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.indexOf('='); // the first: a base64 key may end in = padding
    const source = entry.slice(0, at).trim();
    const key = entry.slice(at + 1).trim();
    if (at <= 0 || !source.startsWith('/'))
      throw new ConfigError('GATEWAY_API_KEYS entries must read <source>=<key>, the source starting with /');
    if (key.length < MIN_API_KEY_LENGTH)
      throw new ConfigError(
        `GATEWAY_API_KEYS: the key of ${source} must be at least ${MIN_API_KEY_LENGTH} characters`,
      );
    if (keys.has(key)) throw new ConfigError('GATEWAY_API_KEYS: a key is given to two sources');
    keys.set(key, source);
  }
  return keys;
}
