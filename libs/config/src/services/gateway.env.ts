import { isTimeZoneName } from '@chronicle/contracts';
import { CLICKHOUSE_ENV, databaseUrl, KAFKA_ENV, TOPIC_ENV } from '../connections.env';
import { flag, integer, list, optionalText, text } from '../env-schema';
import { MAX_FUTURE_SKEW_MS, RETENTION_DAYS } from '../policy.env';
import { RUNTIME_ENV } from '../runtime.env';

const MIN_HS256_SECRET_BYTES = 32;

/** apps/gateway: REST, GraphQL, the live feed and the HTTP collector (docs/gateway.md). */
export const GATEWAY_ENV = {
  port: integer('GATEWAY_PORT', {
    default: 3000,
    min: 0,
    max: 65_535,
    description: 'HTTP port; 0 picks a free one.',
  }),
  host: text('GATEWAY_HOST', {
    default: '127.0.0.1',
    description: 'Listen address: this machine only unless told otherwise (0.0.0.0 to serve the network).',
  }),
  ...KAFKA_ENV,
  eventsTopic: TOPIC_ENV.eventsTopic,
  erasureTopic: TOPIC_ENV.erasureTopic,
  databaseUrl: databaseUrl(
    'Postgres, as a login of the chronicle_gateway role (docs/ingest-worker.md, "Postgres roles").',
  ),
  ...CLICKHOUSE_ENV,
  jwtHs256Secret: optionalText('JWT_HS256_SECRET', {
    secret: true,
    format: `${MIN_HS256_SECRET_BYTES}+ bytes`,
    description:
      'Bearer tokens are verified with exactly one of JWT_HS256_SECRET, JWT_RS256_PUBLIC_KEY, JWT_JWKS_URL. This one: a shared HS256 secret (e.g. `openssl rand -hex 32`).',
    check: (value) =>
      Buffer.byteLength(value) < MIN_HS256_SECRET_BYTES
        ? `must be at least ${MIN_HS256_SECRET_BYTES} bytes`
        : undefined,
  }),
  jwtRs256PublicKey: optionalText('JWT_RS256_PUBLIC_KEY', {
    format: 'PEM public key',
    description: 'A PEM public key (-----BEGIN PUBLIC KEY-----) verifying RS256 tokens.',
    check: (value) =>
      value.includes('-----BEGIN PUBLIC KEY-----')
        ? undefined
        : 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)',
  }),
  jwtJwksUrl: optionalText('JWT_JWKS_URL', {
    format: 'http(s):// URL',
    description: 'A JWKS endpoint whose keys verify the tokens.',
    check: (value) => (/^https?:\/\//.test(value) ? undefined : 'must be an http(s):// URL'),
  }),
  jwtIssuer: optionalText('JWT_ISSUER', { description: 'Checked against the tokens’ iss claim when set.' }),
  jwtAudience: optionalText('JWT_AUDIENCE', {
    description: 'Checked against the tokens’ aud claim when set.',
  }),
  jwtClockSkewSeconds: integer('JWT_CLOCK_SKEW_S', {
    default: 5,
    min: 0,
    max: 60,
    description: 'Seconds a token still passes after its exp (clocks drift); a live stream ends then.',
  }),
  devSignIn: flag('GATEWAY_DEV_SIGN_IN', {
    description:
      '`true` adds the public POST /api/dev/token, minting a 1-hour token for any user id (admin too) with JWT_HS256_SECRET. For a local run only, on 127.0.0.1.',
  }),
  apiKeys: optionalText('GATEWAY_API_KEYS', {
    secret: true,
    format: '/source=key,…',
    description:
      'API keys of POST /v1/events, one per CloudEvents source: `/services/web=<key of 24+ characters>,…`. Unset: no key is valid.',
  }),
  corsOrigins: list('GATEWAY_CORS_ORIGINS', {
    format: 'origin,…',
    description: 'Browser origins allowed to call the API; unset: no CORS headers.',
  }),
  rateLimitPerMinute: integer('GATEWAY_RATE_LIMIT_PER_MINUTE', {
    default: 1_200,
    min: 1,
    max: 1_000_000,
    description:
      'Requests per minute per caller (token subject, API key source, or address), across REST, GraphQL and graphql-ws.',
  }),
  bodyLimitBytes: integer('GATEWAY_BODY_LIMIT_BYTES', {
    default: 2 * 1024 * 1024,
    min: 1_024,
    max: 64 * 1024 * 1024,
    description: 'Largest request body accepted.',
  }),
  auditSource: text('GATEWAY_AUDIT_SOURCE', {
    default: '/services/gateway',
    description: 'The CloudEvents source of the audit events the gateway logs (admin reads and exports).',
  }),
  maxFutureMs: MAX_FUTURE_SKEW_MS,
  retentionDays: RETENTION_DAYS,
  analyticsTimeZone: text('ANALYTICS_TIME_ZONE', {
    default: 'UTC',
    pattern: /^[A-Za-z0-9_+\-/]{1,64}$/,
    patternText: 'an IANA time zone name',
    description:
      'The zone whose calendar days the analytics count in when a request names none (`tz`); e.g. `Europe/Berlin`. Other zones than UTC are computed from the raw events (docs/analytics.md).',
    check: (value) => (isTimeZoneName(value) ? undefined : `must be an IANA time zone name, got "${value}"`),
  }),
  analyticsCacheRows: integer('ANALYTICS_CACHE_ROWS', {
    default: 100_000,
    min: 0,
    max: 10_000_000,
    description:
      'Rows of analytics results the gateway keeps (a series point is one, a matrix one per cohort and period), each result answered again while the ClickHouse parts it was computed from are unchanged (docs/analytics.md, "Cached figures"); 0: none.',
  }),
  dbPoolSize: integer('GATEWAY_DB_POOL_SIZE', {
    default: 10,
    min: 2,
    max: 100,
    description: 'Postgres connections for requests.',
  }),
  statementTimeoutMs: integer('GATEWAY_STATEMENT_TIMEOUT_MS', {
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: 'Postgres cancels a request’s statement after this long.',
  }),
  idleInTransactionTimeoutMs: integer('GATEWAY_IDLE_IN_TRANSACTION_TIMEOUT_MS', {
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description: 'Postgres ends a session left idle inside a transaction after this long.',
  }),
  exportMaxConcurrent: integer('GATEWAY_EXPORT_MAX_CONCURRENT', {
    default: 4,
    min: 1,
    max: 100,
    description: 'Exports running at once, on a pool of their own (429 past it).',
  }),
  exportMaxPerCaller: integer('GATEWAY_EXPORT_MAX_PER_CALLER', {
    default: 2,
    min: 1,
    max: 100,
    description: 'Exports one admin may run at once (429 past it).',
  }),
  exportStatementTimeoutMs: integer('GATEWAY_EXPORT_STATEMENT_TIMEOUT_MS', {
    default: 900_000,
    min: 1_000,
    max: 86_400_000,
    description: 'An export’s statement is cancelled after this long.',
  }),
  liveMaxPerCaller: integer('GATEWAY_LIVE_MAX_PER_CALLER', {
    default: 10,
    min: 1,
    max: 10_000,
    description: 'Live streams (SSE and graphql-ws subscriptions together) per caller (429 past it).',
  }),
  liveMaxStreams: integer('GATEWAY_LIVE_MAX_STREAMS', {
    default: 1_000,
    min: 1,
    max: 1_000_000,
    description: 'Live streams in all (429 past it).',
  }),
  graphqlMaxInFlightPerCaller: integer('GATEWAY_GRAPHQL_MAX_IN_FLIGHT_PER_CALLER', {
    default: 4,
    min: 1,
    max: 1_000,
    description: 'GraphQL operations one caller may have running at once, over HTTP and graphql-ws together.',
  }),
  sendStallMs: integer('GATEWAY_SEND_STALL_MS', {
    default: 30_000,
    min: 100,
    max: 3_600_000,
    description:
      'A download or live stream whose client has read nothing for this long, with bytes waiting, is cut off.',
  }),
  webDir: optionalText('GATEWAY_WEB_DIR', {
    format: 'directory',
    description:
      'The built web pages, served at /; unset: the pages built beside the gateway. Not built: the API is served without them.',
  }),
  ...RUNTIME_ENV,
};
