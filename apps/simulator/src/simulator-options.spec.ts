import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionsError, parseDuration, parseSimulatorOptions, USAGE } from './simulator-options';

const ENV = { KAFKA_BROKERS: '127.0.0.1:19092' };

describe('parseSimulatorOptions', () => {
  it('has defaults for everything, the brokers from KAFKA_BROKERS', () => {
    expect(parseSimulatorOptions([], ENV)).toEqual({
      rate: 200,
      count: undefined,
      durationMs: undefined,
      users: 20_000,
      apps: 1_000,
      backfillDays: 0,
      seed: '1',
      brokers: ['127.0.0.1:19092'],
      topic: 'activity.events.v1',
      opsPort: 9103,
      opsHost: '127.0.0.1',
      progressEveryMs: undefined,
      dryRun: false,
      ledgerPath: undefined,
    });
  });

  it('reads every option', () => {
    const argv = [
      ...['--rate', '5000', '--count', '2000', '--duration', '90s', '--users', '500', '--apps', '50'],
      ...['--backfill-days', '30', '--seed', 'demo', '--brokers', 'kafka-1:9092, kafka-2:9092'],
      ...['--topic', 'sim-test', '--ops-port', '0', '--progress-every', '1s', '--dry-run'],
      ...['--ops-host', '0.0.0.0'],
    ];
    expect(parseSimulatorOptions(argv, {})).toEqual({
      rate: 5000,
      count: 2000,
      durationMs: 90_000,
      users: 500,
      apps: 50,
      backfillDays: 30,
      seed: 'demo',
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      topic: 'sim-test',
      opsPort: 0,
      opsHost: '0.0.0.0',
      progressEveryMs: 1_000,
      dryRun: true,
      ledgerPath: undefined,
    });
  });

  it('takes the path of the id ledger, for a run that sends to Kafka', () => {
    expect(parseSimulatorOptions(['--ledger', '/tmp/run/ledger.ndjson'], ENV)).toMatchObject({
      ledgerPath: '/tmp/run/ledger.ndjson',
    });
    expect(parseSimulatorOptions(['--ledger=ledger.ndjson'], ENV)).toMatchObject({
      ledgerPath: 'ledger.ndjson',
    });
    expect(USAGE).toContain('--ledger <file>');
  });

  it('reaches Kafka over TLS and SASL as the environment says, like the services', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simulator-options-'));
    try {
      const ca = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
      writeFileSync(join(dir, 'ca.pem'), ca);
      const env = {
        ...ENV,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'simulator',
        KAFKA_SASL_PASSWORD: 'secret',
      };
      expect(parseSimulatorOptions([], env)).toMatchObject({
        kafkaSecurity: {
          ssl: { ca },
          sasl: { mechanism: 'scram-sha-512', username: 'simulator', password: 'secret' },
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(parseSimulatorOptions([], ENV)).not.toHaveProperty('kafkaSecurity');
    expect(USAGE).toContain('KAFKA_SASL_MECHANISM');
  });

  it('refuses a wrong security variable, naming it', () => {
    const env = {
      ...ENV,
      KAFKA_SASL_MECHANISM: 'kerberos',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    };
    expect(() => parseSimulatorOptions([], env)).toThrow(OptionsError);
    expect(() => parseSimulatorOptions([], env)).toThrow(/KAFKA_SASL_MECHANISM/);
  });

  it('accepts fractional rates', () => {
    expect(parseSimulatorOptions(['--rate', '0.5'], ENV)).toMatchObject({ rate: 0.5 });
  });

  it('needs brokers unless it is a dry run', () => {
    expect(() => parseSimulatorOptions([], {})).toThrow(
      '--brokers: no Kafka brokers; pass --brokers host:port or set KAFKA_BROKERS (or use --dry-run)',
    );
    expect(parseSimulatorOptions(['--dry-run'], {})).toMatchObject({ dryRun: true, brokers: [] });
  });

  it.each([
    [['--rate', 'fast'], "--rate: expected a number, got 'fast'"],
    [['--rate', '0'], '--rate: must be more than 0, got 0'],
    [['--rate=-5'], "--rate: expected a number, got '-5'"],
    [['--count', '1.5'], "--count: expected a whole number, got '1.5'"],
    [['--count', '0'], '--count: must be at least 1, got 0'],
    [['--users', '0'], '--users: must be at least 1, got 0'],
    [['--apps', 'many'], "--apps: expected a whole number, got 'many'"],
    [['--backfill-days', '91'], '--backfill-days: must be at most 90, got 91'],
    [['--backfill-days', '0'], '--backfill-days: must be at least 1, got 0'],
    [['--ops-port', '70000'], '--ops-port: must be at most 65535, got 70000'],
    [['--duration', 'soon'], "--duration: expected a positive duration such as 60s, 15m or 2h, got 'soon'"],
    [
      ['--progress-every', '0s'],
      "--progress-every: expected a positive duration such as 60s, 15m or 2h, got '0s'",
    ],
    [['--brokers', 'localhost'], "--brokers: expected host:port, got 'localhost'"],
    [['--topic', 'bad topic'], "--topic: not a valid Kafka topic name: 'bad topic'"],
    [['--seed', ''], '--seed: must not be empty'],
    [['--ledger', ' '], '--ledger: expected a file path'],
    [
      ['--ledger', 'l.ndjson', '--dry-run'],
      '--ledger: a dry run sends nothing, so there is nothing to record',
    ],
    [['--ledger'], "Option '--ledger <value>' argument missing"],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseSimulatorOptions(argv, ENV)).toThrow(OptionsError);
    expect(() => parseSimulatorOptions(argv, ENV)).toThrow(message);
  });

  it('answers --help', () => {
    expect(parseSimulatorOptions(['--help'], {})).toBe('help');
    expect(USAGE).toContain('--backfill-days <d>');
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m, h and plain seconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('60s')).toBe(60_000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('45')).toBe(45_000);
  });

  it('refuses zero', () => {
    expect(() => parseDuration('0s')).toThrow('positive duration');
  });
});
