import { ConfigError, kafkaConnection, readEnv, SIMULATOR_ENV } from '@chronicle/config';
import { TOPICS } from '@chronicle/contracts';
import type { SdkKafkaSecurity } from '@chronicle/sdk';
import { parseArgs } from 'node:util';

export interface SimulatorOptions {
  /** Events per second of a live run. */
  rate: number;
  /** Stop after this many events (live), or the backfill's size. */
  count: number | undefined;
  /** Stop after this long (wall clock). */
  durationMs: number | undefined;
  users: number;
  apps: number;
  /** 0: live; otherwise the events fall in the last `backfillDays` days, sent as fast as Kafka takes them. */
  backfillDays: number;
  /** As given; the traffic model's 32-bit seed is derived from it. */
  seed: string;
  brokers: string[];
  /** TLS and SASL to the brokers, from the KAFKA_SSL… and KAFKA_SASL… variables; absent: PLAINTEXT. */
  kafkaSecurity?: SdkKafkaSecurity;
  topic: string;
  /** 0 picks a free port. */
  opsPort: number;
  /** The ops endpoint's address: this machine only, unless a scraper elsewhere needs 0.0.0.0. */
  opsHost: string;
  /** How often the progress line is written; undefined: a few times a second on a terminal, every few seconds to a pipe. */
  progressEveryMs: number | undefined;
  dryRun: boolean;
  /** Where the id ledger goes: one NDJSON line per event the SDK reported published or dropped. */
  ledgerPath: string | undefined;
}

export const DEFAULTS = {
  rate: 200,
  users: 20_000,
  apps: 1_000,
  seed: '1',
  opsPort: 9103,
  opsHost: '127.0.0.1',
} as const;
/** Older events would fall out of the stores' 90-day retention as they arrive. */
const MAX_BACKFILL_DAYS = 90;

export const USAGE = `Usage: tsx apps/simulator/src/main.ts [options]

Produces the traffic of an app store and a media server through the Chronicle SDK.

  --rate <n>            events per second of a live run (default ${DEFAULTS.rate})
  --count <n>           stop after n events; with --backfill-days, the backfill's size
                        (default: about 12 events per active user per day)
  --duration <time>     stop after this long: 90s, 15m, 2h, 500ms (plain numbers are seconds)
  --users <n>           users who sign up over the simulated history (default ${DEFAULTS.users})
  --apps <n>            apps in the store (default ${DEFAULTS.apps})
  --backfill-days <d>   instead of a live run, fill the last d days (1-${MAX_BACKFILL_DAYS}) following the daily and
                        weekly rhythm, as fast as Kafka takes the events
  --seed <value>        the same seed and options give the same events (default ${DEFAULTS.seed})
  --brokers <list>      Kafka bootstrap brokers, comma-separated (default: env KAFKA_BROKERS)
  --topic <name>        default ${TOPICS.events}
  --ops-port <port>     serves /metrics and /health (default ${DEFAULTS.opsPort}; 0 picks a free port)
  --ops-host <address>  where they listen (default ${DEFAULTS.opsHost}; 0.0.0.0 for a scraper elsewhere)
  --progress-every <time>
                        how often the progress line is written (default: 250ms on a terminal,
                        5s to a pipe or a log)
  --ledger <file>       write the id ledger: one JSON line per event the SDK reported published
                        (acknowledged by Kafka) or dropped, with the reason
  --dry-run             generate and count without Kafka
  -h, --help            this text

TLS and SASL to Kafka come from the same variables as the services': KAFKA_SSL,
KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE (PEM files), KAFKA_SASL_MECHANISM
(plain, scram-sha-256, scram-sha-512), KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.

Without --count or --duration a live run goes on until Ctrl-C (SIGINT) or SIGTERM; either stops it
cleanly: what is queued is published, and the summary is printed.
`;

/** A command line that cannot run; the message names the option. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/** Reads the command line (without node and the script); 'help' when --help or -h was asked for. */
export function parseSimulatorOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): SimulatorOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        count: { type: 'string' },
        duration: { type: 'string' },
        users: { type: 'string' },
        apps: { type: 'string' },
        'backfill-days': { type: 'string' },
        seed: { type: 'string' },
        brokers: { type: 'string' },
        topic: { type: 'string' },
        'ops-port': { type: 'string' },
        'ops-host': { type: 'string' },
        'progress-every': { type: 'string' },
        'dry-run': { type: 'boolean' },
        ledger: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  if (values['help']) return 'help';
  const text = (name: string) => values[name] as string | undefined;

  const dryRun = values['dry-run'] === true;
  const brokersText = text('brokers') ?? env['KAFKA_BROKERS'];
  const brokers = (brokersText ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  if (!dryRun && brokers.length === 0) {
    throw new OptionsError(
      '--brokers: no Kafka brokers; pass --brokers host:port or set KAFKA_BROKERS (or use --dry-run)',
    );
  }
  const badBroker = brokers.find((broker) => !/^[^\s:]+:[0-9]{1,5}$/.test(broker));
  if (badBroker !== undefined) throw new OptionsError(`--brokers: expected host:port, got '${badBroker}'`);

  const kafkaSecurity = dryRun ? undefined : kafkaSecurityFromEnv(env, brokers);

  const topic = text('topic') ?? TOPICS.events;
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    throw new OptionsError(`--topic: not a valid Kafka topic name: '${topic}'`);

  const ledgerPath = text('ledger');
  if (ledgerPath !== undefined && ledgerPath.trim().length === 0)
    throw new OptionsError('--ledger: expected a file path');
  if (ledgerPath !== undefined && dryRun)
    throw new OptionsError('--ledger: a dry run sends nothing, so there is nothing to record');

  const seed = text('seed') ?? DEFAULTS.seed;
  if (seed.length === 0) throw new OptionsError('--seed: must not be empty');

  return {
    rate: number('rate', text('rate'), DEFAULTS.rate, { min: 0, exclusiveMin: true, max: 1_000_000 }),
    count: optional(text('count'), (value) => number('count', value, 0, { integer: true, min: 1 })),
    durationMs: optional(text('duration'), (value) => parseDuration(value)),
    users: number('users', text('users'), DEFAULTS.users, { integer: true, min: 1, max: 10_000_000 }),
    apps: number('apps', text('apps'), DEFAULTS.apps, { integer: true, min: 1, max: 1_000_000 }),
    backfillDays: number('backfill-days', text('backfill-days'), 0, {
      integer: true,
      min: 1,
      max: MAX_BACKFILL_DAYS,
    }),
    seed,
    brokers,
    ...(kafkaSecurity ? { kafkaSecurity } : {}),
    topic,
    opsPort: number('ops-port', text('ops-port'), DEFAULTS.opsPort, { integer: true, min: 0, max: 65_535 }),
    opsHost: text('ops-host') ?? DEFAULTS.opsHost,
    progressEveryMs: optional(text('progress-every'), (value) => parseDuration(value, 'progress-every')),
    dryRun,
    ledgerPath,
  };
}

/** TLS and SASL from the same variables as the services', read by the same schema (libs/config). */
function kafkaSecurityFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  brokers: string[],
): SdkKafkaSecurity | undefined {
  try {
    // --brokers wins over KAFKA_BROKERS, which the schema requires.
    return kafkaConnection(readEnv(SIMULATOR_ENV, { ...env, KAFKA_BROKERS: brokers.join(',') })).security;
  } catch (error) {
    if (error instanceof ConfigError) throw new OptionsError(error.message);
    throw error;
  }
}

interface Bounds {
  integer?: boolean;
  min?: number;
  exclusiveMin?: boolean;
  max?: number;
}

function number(name: string, value: string | undefined, fallback: number, bounds: Bounds): number {
  if (value === undefined) return fallback;
  const parsed = /^[0-9]+(\.[0-9]+)?$/.test(value.trim()) ? Number(value) : NaN;
  const kind = bounds.integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(parsed) || (bounds.integer && !Number.isInteger(parsed))) {
    throw new OptionsError(`--${name}: expected ${kind}, got '${value}'`);
  }
  const { min, max } = bounds;
  if (min !== undefined && (bounds.exclusiveMin ? parsed <= min : parsed < min)) {
    throw new OptionsError(
      `--${name}: must be ${bounds.exclusiveMin ? 'more than' : 'at least'} ${min}, got ${value}`,
    );
  }
  if (max !== undefined && parsed > max)
    throw new OptionsError(`--${name}: must be at most ${max}, got ${value}`);
  return parsed;
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s`, `15m`, `2h`, `500ms`, or plain seconds; `option` names the option in the error. */
export function parseDuration(value: string, option = 'duration'): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? 's'] as number) : NaN;
  if (!(ms > 0))
    throw new OptionsError(
      `--${option}: expected a positive duration such as 60s, 15m or 2h, got '${value}'`,
    );
  return ms;
}
