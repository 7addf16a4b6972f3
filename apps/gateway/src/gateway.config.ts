import path from 'node:path';
import { isLoopbackAddress } from './http/loopback';
import { TOPICS, type AdmissionPolicy } from '@chronicle/contracts';
import { parseBrokers } from '@chronicle/kafka';
import {
  booleanEnv,
  ConfigError,
  configValue,
  integerEnv,
  type Env,
  postgresUrlEnv,
  httpUrlEnv,
} from '@chronicle/service';

/** Where the keys that verify bearer tokens come from; exactly one is configured. */
export type JwtKeySource =
  { kind: 'hs256'; secret: string } | { kind: 'rs256'; publicKeyPem: string } | { kind: 'jwks'; url: string };

export interface GatewayConfig {
  port: number;
  host: string;
  brokers: string[];
  databaseUrl: string;
  clickhouseUrl: string;
  clickhouseDatabase: string;
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

/** apps/web's build output, from this file's place in the repository (the apps run from their sources). */
export const DEFAULT_WEB_DIR = path.resolve(__dirname, '../../web/dist');

const MIN_HS256_SECRET_BYTES = 32;
const MIN_API_KEY_LENGTH = 24;

/** The gateway's configuration from the environment; a bad or missing value fails naming the variable. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const databaseUrl = postgresUrlEnv(env, 'DATABASE_URL');
  const clickhouseUrl = httpUrlEnv(env, 'CLICKHOUSE_URL');
  const jwt: GatewayConfig['jwt'] = {
    keys: jwtKeySource(env),
    clockSkewSeconds: integerEnv(env, 'JWT_CLOCK_SKEW_S', 5, 0, 60),
  };
  if (env['JWT_ISSUER']) jwt.issuer = env['JWT_ISSUER'];
  if (env['JWT_AUDIENCE']) jwt.audience = env['JWT_AUDIENCE'];
  const devSignIn = booleanEnv(env, 'GATEWAY_DEV_SIGN_IN');
  if (devSignIn && jwt.keys.kind !== 'hs256')
    throw new ConfigError(
      'GATEWAY_DEV_SIGN_IN needs JWT_HS256_SECRET: it signs the tokens it mints with that secret',
    );
  // Local unless told otherwise: a gateway reachable from the network is a choice, not a default.
  const host = env['GATEWAY_HOST'] || '127.0.0.1';
  if (devSignIn && !isLoopbackAddress(host))
    throw new ConfigError(
      `GATEWAY_DEV_SIGN_IN works only on a gateway that listens on this machine alone (GATEWAY_HOST=127.0.0.1), not on ${host}: it mints admin tokens for whoever asks`,
    );
  return {
    port: integerEnv(env, 'GATEWAY_PORT', 3000, 0, 65_535),
    host,
    brokers: configValue(() => parseBrokers(env['KAFKA_BROKERS'])),
    databaseUrl,
    clickhouseUrl,
    clickhouseDatabase: env['CLICKHOUSE_DATABASE'] || 'chronicle',
    topics: {
      events: env['EVENTS_TOPIC'] || TOPICS.events,
      erasure: env['ERASURE_TOPIC'] || TOPICS.erasure,
    },
    jwt,
    apiKeys: parseApiKeys(env['GATEWAY_API_KEYS'] ?? ''),
    corsOrigins: (env['GATEWAY_CORS_ORIGINS'] ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    rateLimitPerMinute: integerEnv(env, 'GATEWAY_RATE_LIMIT_PER_MINUTE', 1_200, 1, 1_000_000),
    bodyLimitBytes: integerEnv(env, 'GATEWAY_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1_024, 64 * 1024 * 1024),
    auditSource: env['GATEWAY_AUDIT_SOURCE'] || '/services/gateway',
    admission: {
      maxFutureMs: integerEnv(env, 'MAX_FUTURE_SKEW_MS', 86_400_000, 0, 7 * 86_400_000),
      retentionDays: integerEnv(env, 'RETENTION_DAYS', 90, 1, 3_650),
    },
    dbPoolSize: integerEnv(env, 'GATEWAY_DB_POOL_SIZE', 10, 2, 100),
    statementTimeoutMs: integerEnv(env, 'GATEWAY_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
    idleInTransactionTimeoutMs: integerEnv(
      env,
      'GATEWAY_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      30_000,
      100,
      3_600_000,
    ),
    exports: {
      maxConcurrent: integerEnv(env, 'GATEWAY_EXPORT_MAX_CONCURRENT', 4, 1, 100),
      maxPerCaller: integerEnv(env, 'GATEWAY_EXPORT_MAX_PER_CALLER', 2, 1, 100),
      statementTimeoutMs: integerEnv(env, 'GATEWAY_EXPORT_STATEMENT_TIMEOUT_MS', 900_000, 1_000, 86_400_000),
    },
    live: {
      maxPerCaller: integerEnv(env, 'GATEWAY_LIVE_MAX_PER_CALLER', 10, 1, 10_000),
      maxConcurrent: integerEnv(env, 'GATEWAY_LIVE_MAX_STREAMS', 1_000, 1, 1_000_000),
    },
    graphqlMaxInFlightPerCaller: integerEnv(env, 'GATEWAY_GRAPHQL_MAX_IN_FLIGHT_PER_CALLER', 4, 1, 1_000),
    sendStallMs: integerEnv(env, 'GATEWAY_SEND_STALL_MS', 30_000, 100, 3_600_000),
    webDir: env['GATEWAY_WEB_DIR'] ? path.resolve(env['GATEWAY_WEB_DIR']) : DEFAULT_WEB_DIR,
    devSignIn,
  };
}

/** `true` or `false` (unset or empty: false); anything else is a mistake worth stopping for. */

function jwtKeySource(env: Env): JwtKeySource {
  const given = (['JWT_HS256_SECRET', 'JWT_RS256_PUBLIC_KEY', 'JWT_JWKS_URL'] as const).filter(
    (name) => env[name],
  );
  if (given.length !== 1)
    throw new ConfigError(
      `set exactly one of JWT_HS256_SECRET, JWT_RS256_PUBLIC_KEY, JWT_JWKS_URL (got ${given.length})`,
    );
  const secret = env['JWT_HS256_SECRET'];
  if (secret) {
    if (Buffer.byteLength(secret) < MIN_HS256_SECRET_BYTES)
      throw new ConfigError(`JWT_HS256_SECRET must be at least ${MIN_HS256_SECRET_BYTES} bytes`);
    return { kind: 'hs256', secret };
  }
  const pem = env['JWT_RS256_PUBLIC_KEY'];
  if (pem) {
    if (!pem.includes('-----BEGIN PUBLIC KEY-----'))
      throw new ConfigError('JWT_RS256_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
    return { kind: 'rs256', publicKeyPem: pem };
  }
  const url = env['JWT_JWKS_URL'] as string;
  if (!/^https?:\/\//.test(url)) throw new ConfigError('JWT_JWKS_URL must be an http(s):// URL');
  return { kind: 'jwks', url };
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
