import { TOPICS } from '@chronicle/contracts';
import {
  ConfigError,
  fileContents,
  flag,
  list,
  oneOf,
  optionalText,
  text,
  url,
  type EnvValues,
} from './env-schema';

// The engines every service reaches, and how: one definition per variable, shared by the services.

const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

export const KAFKA_ENV = {
  kafkaBrokers: list('KAFKA_BROKERS', {
    format: 'host:port,…',
    required: true,
    description: 'Kafka bootstrap brokers, comma-separated.',
    example: '127.0.0.1:19092',
    item: (broker) => (/^[^:\s]+:\d{1,5}$/.test(broker) ? undefined : 'is not host:port'),
  }),
  kafkaSsl: flag('KAFKA_SSL', {
    description:
      'TLS to the brokers, trusting the system CAs; implied when KAFKA_SSL_CA_FILE or a client certificate is set.',
  }),
  kafkaSslCa: fileContents('KAFKA_SSL_CA_FILE', {
    description: 'PEM file of the CA that signed the brokers’ certificates (a private CA).',
  }),
  kafkaSslCert: fileContents('KAFKA_SSL_CERT_FILE', {
    description: 'PEM client certificate, for brokers that require mutual TLS (with KAFKA_SSL_KEY_FILE).',
  }),
  kafkaSslKey: fileContents('KAFKA_SSL_KEY_FILE', { description: 'PEM private key of KAFKA_SSL_CERT_FILE.' }),
  kafkaSaslMechanism: oneOf('KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS, {
    description: 'SASL authentication; unset: none. Use it with TLS (KAFKA_SSL) in production.',
  }),
  kafkaSaslUsername: optionalText('KAFKA_SASL_USERNAME', { description: 'SASL user name.' }),
  kafkaSaslPassword: optionalText('KAFKA_SASL_PASSWORD', { description: 'SASL password.', secret: true }),
};

/** How a client authenticates to the brokers (libs/kafka's KafkaSecurity); absent: PLAINTEXT. */
export interface KafkaSecuritySettings {
  ssl?: true | { ca?: string; cert?: string; key?: string };
  sasl?: { mechanism: (typeof KAFKA_SASL_MECHANISMS)[number]; username: string; password: string };
}

export interface KafkaConnectionSettings {
  brokers: string[];
  security?: KafkaSecuritySettings;
}

/** The brokers and the security the KAFKA_* variables describe, checked as a whole. */
export function kafkaConnection(values: EnvValues<typeof KAFKA_ENV>): KafkaConnectionSettings {
  const { kafkaSslCa: ca, kafkaSslCert: cert, kafkaSslKey: key } = values;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together');
  const security: KafkaSecuritySettings = {};
  if (ca || cert) security.ssl = { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
  else if (values.kafkaSsl) security.ssl = true;
  const mechanism = values.kafkaSaslMechanism;
  if (mechanism) {
    const { kafkaSaslUsername: username, kafkaSaslPassword: password } = values;
    if (!username || !password)
      throw new ConfigError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    security.sasl = { mechanism, username, password };
  } else if (values.kafkaSaslUsername || values.kafkaSaslPassword) {
    throw new ConfigError('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM');
  }
  return { brokers: values.kafkaBrokers, ...(security.ssl || security.sasl ? { security } : {}) };
}

const TOPIC_NAME = { pattern: /^[A-Za-z0-9._-]{1,249}$/, patternText: 'a Kafka topic name' };

export const TOPIC_ENV = {
  eventsTopic: text('EVENTS_TOPIC', {
    ...TOPIC_NAME,
    default: TOPICS.events,
    description: 'The events topic (a deployment may prefix the names).',
  }),
  dlqTopic: text('DLQ_TOPIC', {
    ...TOPIC_NAME,
    default: TOPICS.dlq,
    description: 'Where both workers dead-letter the records they can never store.',
  }),
  erasureTopic: text('ERASURE_TOPIC', {
    ...TOPIC_NAME,
    default: TOPICS.erasure,
    description: 'Erasure requests.',
  }),
  erasureStatusTopic: text('ERASURE_STATUS_TOPIC', {
    ...TOPIC_NAME,
    default: TOPICS.erasureStatus,
    description: 'Each store’s report that an erasure is complete.',
  }),
};

const POSTGRES_SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** DATABASE_URL, whose `sslmode` (and `sslrootcert`, `sslcert`, `sslkey`) node-postgres honours. */
export function databaseUrl(description: string) {
  const spec = url('DATABASE_URL', {
    schemes: ['postgres', 'postgresql'],
    description: `${description} TLS: \`?sslmode=verify-full&sslrootcert=/path/ca.pem\`.`,
    example: 'postgres://chronicle:chronicle@127.0.0.1:15432/chronicle',
  });
  return {
    ...spec,
    read(env: Parameters<typeof spec.read>[0]) {
      const value = spec.read(env);
      const mode = new URL(value).searchParams.get('sslmode');
      if (mode !== null && !POSTGRES_SSL_MODES.includes(mode))
        throw new ConfigError(
          `DATABASE_URL: sslmode must be one of ${POSTGRES_SSL_MODES.join(', ')}, got "${mode}"`,
        );
      return value;
    },
  };
}

export const CLICKHOUSE_ENV = {
  clickhouseUrl: url('CLICKHOUSE_URL', {
    schemes: ['http', 'https'],
    description: 'ClickHouse’s HTTP interface; https:// for TLS.',
    example: 'http://127.0.0.1:18123',
  }),
  clickhouseUser: text('CLICKHOUSE_USER', {
    default: 'default',
    description: 'ClickHouse user (credentials inside CLICKHOUSE_URL, if any, take precedence).',
  }),
  clickhousePassword: optionalText('CLICKHOUSE_PASSWORD', {
    description: 'Password of CLICKHOUSE_USER.',
    secret: true,
  }),
  clickhouseCa: fileContents('CLICKHOUSE_CA_FILE', {
    description:
      'PEM file of the CA that signed the ClickHouse server’s certificate (https:// with a private CA).',
  }),
  clickhouseDatabase: text('CLICKHOUSE_DATABASE', {
    default: 'chronicle',
    pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
    patternText: 'letters, digits and underscores',
    description: 'The analytics database.',
  }),
};

/** The options of @clickhouse/client's createClient that the CLICKHOUSE_* variables describe. */
export interface ClickHouseConnectionSettings {
  url: string;
  database: string;
  username: string;
  password?: string;
  tls?: { ca_cert: Buffer };
}

export function clickhouseConnection(values: EnvValues<typeof CLICKHOUSE_ENV>): ClickHouseConnectionSettings {
  if (values.clickhouseCa && !values.clickhouseUrl.startsWith('https://'))
    throw new ConfigError('CLICKHOUSE_CA_FILE needs an https:// CLICKHOUSE_URL');
  return {
    url: values.clickhouseUrl,
    database: values.clickhouseDatabase,
    username: values.clickhouseUser,
    ...(values.clickhousePassword ? { password: values.clickhousePassword } : {}),
    ...(values.clickhouseCa ? { tls: { ca_cert: Buffer.from(values.clickhouseCa) } } : {}),
  };
}
