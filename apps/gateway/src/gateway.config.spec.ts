import { resolve } from 'node:path';
import { ConfigError } from '@chronicle/config';
import { thrownBy } from '../test/thrown-by';
import { loadGatewayConfig, parseApiKeys, DEFAULT_WEB_DIR } from './gateway.config';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';
const PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n';
const KEY_WEB = 'web-key-0123456789abcdef0123';
const KEY_TV = 'tv-key-0123456789abcdef01234';

/** The smallest environment the gateway starts with. */
function env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DATABASE_URL: 'postgres://chronicle@localhost:5432/chronicle',
    CLICKHOUSE_URL: 'http://localhost:8123',
    KAFKA_BROKERS: 'localhost:9092',
    JWT_HS256_SECRET: SECRET,
    ...overrides,
  };
}

const configError = (run: () => unknown) => thrownBy(ConfigError, run);

describe('loadGatewayConfig', () => {
  it('fills in the defaults around the required variables', () => {
    const config = loadGatewayConfig(env());
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      brokers: ['localhost:9092'],
      databaseUrl: 'postgres://chronicle@localhost:5432/chronicle',
      clickhouseUrl: 'http://localhost:8123',
      clickhouseDatabase: 'chronicle',
      clickhouseAuth: { username: 'default' },
      analyticsTimeZone: 'UTC',
      analyticsCacheRows: 100000,
      topics: { events: 'activity.events.v1', erasure: 'activity.erasure.v1' },
      jwt: { keys: { kind: 'hs256', secret: SECRET }, clockSkewSeconds: 5 },
      apiKeys: new Map(),
      corsOrigins: [],
      rateLimitPerMinute: 1_200,
      bodyLimitBytes: 2 * 1024 * 1024,
      auditSource: '/services/gateway',
      admission: { maxFutureMs: 86_400_000, retentionDays: 90 },
      dbPoolSize: 10,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 30_000,
      exports: { maxConcurrent: 4, maxPerCaller: 2, statementTimeoutMs: 900_000 },
      live: { maxPerCaller: 10, maxConcurrent: 1_000 },
      graphqlMaxInFlightPerCaller: 4,
      sendStallMs: 30_000,
      devSignIn: false,
      webDir: DEFAULT_WEB_DIR,
    });
  });

  it('takes every optional variable when given', () => {
    const config = loadGatewayConfig(
      env({
        DATABASE_URL: 'postgresql://db/chronicle',
        CLICKHOUSE_URL: 'https://ch.internal:8443',
        GATEWAY_PORT: '8080',
        GATEWAY_HOST: '127.0.0.1',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
        CLICKHOUSE_DATABASE: 'analytics',
        EVENTS_TOPIC: 'events.test',
        ERASURE_TOPIC: 'erasure.test',
        JWT_ISSUER: 'https://idp.example',
        JWT_AUDIENCE: 'chronicle',
        GATEWAY_API_KEYS: `/services/web=${KEY_WEB}`,
        GATEWAY_CORS_ORIGINS: ' https://app.example , ,https://admin.example',
        GATEWAY_RATE_LIMIT_PER_MINUTE: '60',
        GATEWAY_BODY_LIMIT_BYTES: '4096',
        GATEWAY_AUDIT_SOURCE: '/services/gateway-eu',
        GATEWAY_DB_POOL_SIZE: '20',
        GATEWAY_STATEMENT_TIMEOUT_MS: '5000',
        GATEWAY_IDLE_IN_TRANSACTION_TIMEOUT_MS: '6000',
        GATEWAY_EXPORT_MAX_CONCURRENT: '8',
        GATEWAY_EXPORT_MAX_PER_CALLER: '1',
        GATEWAY_EXPORT_STATEMENT_TIMEOUT_MS: '60000',
        GATEWAY_LIVE_MAX_PER_CALLER: '3',
        GATEWAY_LIVE_MAX_STREAMS: '50',
        GATEWAY_SEND_STALL_MS: '7000',
        GATEWAY_GRAPHQL_MAX_IN_FLIGHT_PER_CALLER: '2',
        MAX_FUTURE_SKEW_MS: '60000',
        RETENTION_DAYS: '30',
        ANALYTICS_TIME_ZONE: 'Asia/Kolkata',
      }),
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      brokers: ['k1:9092', 'k2:9092'],
      databaseUrl: 'postgresql://db/chronicle',
      clickhouseUrl: 'https://ch.internal:8443',
      clickhouseDatabase: 'analytics',
      topics: { events: 'events.test', erasure: 'erasure.test' },
      jwt: { keys: { kind: 'hs256', secret: SECRET }, issuer: 'https://idp.example', audience: 'chronicle' },
      corsOrigins: ['https://app.example', 'https://admin.example'],
      rateLimitPerMinute: 60,
      bodyLimitBytes: 4096,
      auditSource: '/services/gateway-eu',
      admission: { maxFutureMs: 60_000, retentionDays: 30 },
      dbPoolSize: 20,
      statementTimeoutMs: 5_000,
      idleInTransactionTimeoutMs: 6_000,
      exports: { maxConcurrent: 8, maxPerCaller: 1, statementTimeoutMs: 60_000 },
      live: { maxPerCaller: 3, maxConcurrent: 50 },
      graphqlMaxInFlightPerCaller: 2,
      sendStallMs: 7_000,
      analyticsTimeZone: 'Asia/Kolkata',
    });
    expect([...config.apiKeys]).toEqual([[KEY_WEB, '/services/web']]);
  });

  it.each(['Mars/Olympus', 'UTC; DROP', 'Europe/Berlin\n'])(
    'refuses ANALYTICS_TIME_ZONE=%j, naming it',
    (zone) => {
      expect(() => loadGatewayConfig(env({ ANALYTICS_TIME_ZONE: zone }))).toThrow(
        /ANALYTICS_TIME_ZONE must be/,
      );
    },
  );

  it('leaves issuer and audience out when they are not configured', () => {
    const { jwt } = loadGatewayConfig(env({ JWT_ISSUER: '', JWT_AUDIENCE: '' }));
    expect(jwt).not.toHaveProperty('issuer');
    expect(jwt).not.toHaveProperty('audience');
  });

  it.each([
    ['DATABASE_URL', { DATABASE_URL: undefined }, 'DATABASE_URL must be set'],
    [
      'DATABASE_URL',
      { DATABASE_URL: 'mysql://db' },
      'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    ],
    ['CLICKHOUSE_URL', { CLICKHOUSE_URL: '' }, 'CLICKHOUSE_URL must be set'],
    [
      'CLICKHOUSE_URL',
      { CLICKHOUSE_URL: 'tcp://ch:9000' },
      'CLICKHOUSE_URL must be a URL starting with http:// or https://',
    ],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: undefined }, 'KAFKA_BROKERS'],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'no-port' }, 'KAFKA_BROKERS'],
    ['GATEWAY_PORT', { GATEWAY_PORT: '70000' }, 'GATEWAY_PORT must be an integer from 0 to 65535'],
    ['GATEWAY_PORT', { GATEWAY_PORT: 'http' }, 'GATEWAY_PORT'],
    [
      'GATEWAY_RATE_LIMIT_PER_MINUTE',
      { GATEWAY_RATE_LIMIT_PER_MINUTE: '0' },
      'GATEWAY_RATE_LIMIT_PER_MINUTE',
    ],
    ['GATEWAY_BODY_LIMIT_BYTES', { GATEWAY_BODY_LIMIT_BYTES: '100' }, 'GATEWAY_BODY_LIMIT_BYTES'],
    ['GATEWAY_DB_POOL_SIZE', { GATEWAY_DB_POOL_SIZE: '1' }, 'GATEWAY_DB_POOL_SIZE'],
    ['GATEWAY_API_KEYS', { GATEWAY_API_KEYS: 'no-equals-sign' }, 'GATEWAY_API_KEYS'],
  ])('names %s when it is wrong', (_name, overrides, message) => {
    expect(configError(() => loadGatewayConfig(env(overrides))).message).toContain(message);
  });

  describe('the JWT key source', () => {
    it('takes an RS256 public key in PEM form', () => {
      const config = loadGatewayConfig(env({ JWT_HS256_SECRET: undefined, JWT_RS256_PUBLIC_KEY: PEM }));
      expect(config.jwt.keys).toEqual({ kind: 'rs256', publicKeyPem: PEM });
    });

    it('takes a JWKS URL', () => {
      const config = loadGatewayConfig(
        env({ JWT_HS256_SECRET: undefined, JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json' }),
      );
      expect(config.jwt.keys).toEqual({ kind: 'jwks', url: 'https://idp.example/.well-known/jwks.json' });
    });

    it('needs one', () => {
      expect(configError(() => loadGatewayConfig(env({ JWT_HS256_SECRET: undefined }))).message).toBe(
        'set exactly one of JWT_HS256_SECRET, JWT_RS256_PUBLIC_KEY, JWT_JWKS_URL (got 0)',
      );
    });

    it('refuses two, rather than picking one silently', () => {
      expect(configError(() => loadGatewayConfig(env({ JWT_RS256_PUBLIC_KEY: PEM }))).message).toBe(
        'set exactly one of JWT_HS256_SECRET, JWT_RS256_PUBLIC_KEY, JWT_JWKS_URL (got 2)',
      );
      expect(
        configError(() =>
          loadGatewayConfig(env({ JWT_RS256_PUBLIC_KEY: PEM, JWT_JWKS_URL: 'https://idp.example/jwks' })),
        ).message,
      ).toContain('(got 3)');
    });

    it('refuses an HS256 secret shorter than 32 bytes', () => {
      expect(configError(() => loadGatewayConfig(env({ JWT_HS256_SECRET: 'x'.repeat(31) }))).message).toBe(
        'JWT_HS256_SECRET must be at least 32 bytes',
      );
      expect(loadGatewayConfig(env({ JWT_HS256_SECRET: 'x'.repeat(32) })).jwt.keys).toEqual({
        kind: 'hs256',
        secret: 'x'.repeat(32),
      });
    });

    it('counts the secret in bytes, not characters', () => {
      // 16 characters, 32 bytes in UTF-8.
      const secret = 'é'.repeat(16);
      expect(loadGatewayConfig(env({ JWT_HS256_SECRET: secret })).jwt.keys).toEqual({
        kind: 'hs256',
        secret,
      });
    });

    it('refuses a public key that is not PEM', () => {
      expect(
        configError(() =>
          loadGatewayConfig(env({ JWT_HS256_SECRET: undefined, JWT_RS256_PUBLIC_KEY: 'MIIB' })),
        ).message,
      ).toMatch(/^JWT_RS256_PUBLIC_KEY must be a PEM public key/);
    });

    it('refuses a JWKS URL that is not http(s)', () => {
      expect(
        configError(() =>
          loadGatewayConfig(env({ JWT_HS256_SECRET: undefined, JWT_JWKS_URL: 'file:///etc/jwks.json' })),
        ).message,
      ).toBe('JWT_JWKS_URL must be an http(s):// URL');
    });
  });
});

describe('GATEWAY_DEV_SIGN_IN', () => {
  it('is off unless set to true', () => {
    expect(loadGatewayConfig(env()).devSignIn).toBe(false);
    expect(loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: '' })).devSignIn).toBe(false);
    expect(loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: 'false' })).devSignIn).toBe(false);
    expect(loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: 'true' })).devSignIn).toBe(true);
    expect(loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: 'true', GATEWAY_HOST: '::1' })).devSignIn).toBe(true);
    expect(loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: ' TRUE ' })).devSignIn).toBe(true);
  });

  it.each(['yes', '1', 'on', 'tru'])('refuses %p, naming the variable', (value) => {
    expect(configError(() => loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: value }))).message).toBe(
      `GATEWAY_DEV_SIGN_IN must be true or false, got "${value}"`,
    );
  });

  it.each(['0.0.0.0', '::', '192.168.1.20'])('is refused on a gateway listening on %s', (host) => {
    const message = configError(() =>
      loadGatewayConfig(env({ GATEWAY_DEV_SIGN_IN: 'true', GATEWAY_HOST: host })),
    ).message;
    expect(message).toContain('GATEWAY_DEV_SIGN_IN');
    expect(message).toContain('GATEWAY_HOST=127.0.0.1');
  });

  it.each([
    ['an RS256 public key', { JWT_RS256_PUBLIC_KEY: PEM }],
    ['a JWKS URL', { JWT_JWKS_URL: 'https://idp.example/jwks' }],
  ])('is refused with %s: it signs with JWT_HS256_SECRET', (_what, keySource) => {
    const message = configError(() =>
      loadGatewayConfig(env({ JWT_HS256_SECRET: undefined, GATEWAY_DEV_SIGN_IN: 'true', ...keySource })),
    ).message;
    expect(message).toContain('GATEWAY_DEV_SIGN_IN');
    expect(message).toContain('JWT_HS256_SECRET');
    // Off, the other key sources are fine as ever.
    expect(
      loadGatewayConfig(env({ JWT_HS256_SECRET: undefined, GATEWAY_DEV_SIGN_IN: 'false', ...keySource }))
        .devSignIn,
    ).toBe(false);
  });
});

describe('parseApiKeys', () => {
  it('maps each key to the source it publishes as', () => {
    const keys = parseApiKeys(` /services/web=${KEY_WEB} , /services/tv-app = ${KEY_TV},`);
    expect(keys).toEqual(
      new Map([
        [KEY_WEB, '/services/web'],
        [KEY_TV, '/services/tv-app'],
      ]),
    );
  });

  it('is empty for an empty setting', () => {
    expect(parseApiKeys('')).toEqual(new Map());
    expect(parseApiKeys(' , ')).toEqual(new Map());
  });

  it('takes a base64 key with = padding', () => {
    const key = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8=';
    expect(parseApiKeys(`/services/web=${key}`)).toEqual(new Map([[key, '/services/web']]));
  });

  it.each([
    ['an entry without =', KEY_WEB],
    ['an entry without a source', `=${KEY_WEB}`],
    ['a source not starting with /', `services/web=${KEY_WEB}`],
  ])('refuses %s', (_what, text) => {
    expect(configError(() => parseApiKeys(text)).message).toBe(
      'GATEWAY_API_KEYS entries must read <source>=<key>, the source starting with /',
    );
  });

  it('refuses a short key, naming its source but not the key', () => {
    const message = configError(() => parseApiKeys('/services/web=short-key')).message;
    expect(message).toBe('GATEWAY_API_KEYS: the key of /services/web must be at least 24 characters');
    expect(message).not.toContain('short-key');
  });

  it('refuses one key given to two sources', () => {
    expect(configError(() => parseApiKeys(`/services/web=${KEY_WEB},/services/tv=${KEY_WEB}`)).message).toBe(
      'GATEWAY_API_KEYS: a key is given to two sources',
    );
  });
});

describe('GATEWAY_WEB_DIR', () => {
  it('resolves the directory of the built pages, apps/web/dist by default', () => {
    expect(loadGatewayConfig(env({ GATEWAY_WEB_DIR: 'somewhere/dist' })).webDir).toBe(
      resolve('somewhere/dist'),
    );
  });
});
