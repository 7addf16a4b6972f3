import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLICKHOUSE_ENV,
  clickhouseConnection,
  databaseUrl,
  KAFKA_ENV,
  kafkaConnection,
} from './connections.env';
import { readEnv, type Env } from './env-schema';

const dir = mkdtempSync(join(tmpdir(), 'chronicle-tls-'));
const file = (name: string, contents: string) => {
  writeFileSync(join(dir, name), contents);
  return join(dir, name);
};
const kafka = (env: Env) => kafkaConnection(readEnv(KAFKA_ENV, { KAFKA_BROKERS: 'k:9092', ...env }));
const clickhouse = (env: Env) =>
  clickhouseConnection(readEnv(CLICKHOUSE_ENV, { CLICKHOUSE_URL: 'http://ch:8123', ...env }));

describe('kafkaConnection', () => {
  it('is PLAINTEXT with no security variable', () => {
    expect(kafka({})).toEqual({ brokers: ['k:9092'] });
  });

  it('uses the system CAs with KAFKA_SSL=true, and the given PEM files otherwise', () => {
    expect(kafka({ KAFKA_SSL: 'true' }).security).toEqual({ ssl: true });
    const ca = file('ca.pem', 'CA');
    const cert = file('client.pem', 'CERT');
    const key = file('client.key', 'KEY');
    expect(kafka({ KAFKA_SSL_CA_FILE: ca }).security).toEqual({ ssl: { ca: 'CA' } });
    expect(
      kafka({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key })
        .security,
    ).toEqual({
      ssl: { ca: 'CA', cert: 'CERT', key: 'KEY' },
    });
  });

  it('takes SASL with a user and a password, over TLS or not', () => {
    const sasl = {
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    };
    expect(kafka(sasl).security).toEqual({
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(kafka({ ...sasl, KAFKA_SSL: 'true' }).security).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
  });

  it.each([
    [{ KAFKA_SSL_CERT_FILE: '/x.pem' }, 'KAFKA_SSL_CERT_FILE: cannot read /x.pem (ENOENT)'],
    [
      { KAFKA_SSL_CERT_FILE: file('only-cert.pem', 'C') },
      'KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE must be set together',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' },
      'KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    ],
    [
      { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'gssapi' },
      'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512, got "gssapi"',
    ],
    [{ KAFKA_BROKERS: 'k' }, 'KAFKA_BROKERS: "k" is not host:port'],
  ])('refuses %p', (env, message) => {
    expect(() => kafka(env)).toThrow(message);
  });
});

describe('clickhouseConnection', () => {
  it('passes the user, the password and a private CA to the client', () => {
    expect(clickhouse({})).toEqual({ url: 'http://ch:8123', database: 'chronicle', username: 'default' });
    const ca = file('ch-ca.pem', 'CH-CA');
    expect(
      clickhouse({
        CLICKHOUSE_URL: 'https://ch:8443',
        CLICKHOUSE_USER: 'chronicle',
        CLICKHOUSE_PASSWORD: 'pw',
        CLICKHOUSE_CA_FILE: ca,
        CLICKHOUSE_DATABASE: 'analytics',
      }),
    ).toEqual({
      url: 'https://ch:8443',
      database: 'analytics',
      username: 'chronicle',
      password: 'pw',
      tls: { ca_cert: Buffer.from('CH-CA') },
    });
  });

  it('refuses a CA without https, and a database name that is not an identifier', () => {
    expect(() => clickhouse({ CLICKHOUSE_CA_FILE: file('ch2.pem', 'x') })).toThrow(
      'CLICKHOUSE_CA_FILE needs an https:// CLICKHOUSE_URL',
    );
    expect(() => clickhouse({ CLICKHOUSE_DATABASE: 'a-b' })).toThrow(
      'CLICKHOUSE_DATABASE must be letters, digits and underscores, got "a-b"',
    );
  });
});

describe('DATABASE_URL', () => {
  const spec = databaseUrl('Postgres.');

  it('keeps sslmode and its certificate options for node-postgres', () => {
    const value = 'postgres://u:p@db:5432/chronicle?sslmode=verify-full&sslrootcert=/etc/ca.pem';
    expect(spec.read({ DATABASE_URL: value })).toBe(value);
  });

  it('refuses an sslmode node-postgres does not know, and other schemes', () => {
    expect(() => spec.read({ DATABASE_URL: 'postgres://db/c?sslmode=verify' })).toThrow(
      'DATABASE_URL: sslmode must be one of disable, prefer, require, verify-ca, verify-full, no-verify, got "verify"',
    );
    expect(() => spec.read({ DATABASE_URL: 'mysql://db/c' })).toThrow(
      'DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    );
  });
});
