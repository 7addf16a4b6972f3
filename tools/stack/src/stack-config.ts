import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type EngineName = 'kafka' | 'postgres' | 'clickhouse';
export const ENGINE_NAMES: readonly EngineName[] = ['kafka', 'postgres', 'clickhouse'];

export interface StackPorts {
  kafka: number;
  kafkaController: number;
  postgres: number;
  clickhouse: number;
}

export interface StackConfig {
  /** The workspace root (where nx.json is). */
  repoRoot: string;
  /** Everything a running stack owns: data, logs, state. Its path marks the stack's processes. */
  stackDir: string;
  /** Apache Kafka's runtime jars, shared by every stack on this checkout (copied once by Maven). */
  kafkaVersion: string;
  kafkaJarsDir: string;
  ports: StackPorts;
  /** Engines given by the environment: used as they are, never started or stopped here. */
  external: Partial<Record<EngineName, string>>;
  engines: EngineName[];
}

/** Ports away from the engines' usual ones, which a machine may already be running. */
export const DEFAULT_PORTS: StackPorts = {
  kafka: 19092,
  kafkaController: 19093,
  postgres: 15432,
  clickhouse: 18123,
};

export const POSTGRES_CREDENTIALS = { user: 'chronicle', password: 'chronicle', database: 'chronicle' };

export interface StackOptions {
  stackDir?: string;
  ports?: Partial<StackPorts>;
  /** Where KAFKA_BROKERS, DATABASE_URL and CLICKHOUSE_URL are read; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Only these engines (default: all three), e.g. a broker of its own for a test that stops it. */
  engines?: EngineName[];
}

export function resolveStackConfig(options: StackOptions = {}): StackConfig {
  const env = options.env ?? process.env;
  const repoRoot = findRepoRoot(__dirname);
  const kafkaVersion = readKafkaVersion(join(repoRoot, 'deploy/kafka/pom.xml'));
  const external: StackConfig['external'] = {};
  if (env['KAFKA_BROKERS']) external.kafka = env['KAFKA_BROKERS'];
  if (env['DATABASE_URL']) external.postgres = env['DATABASE_URL'];
  if (env['CLICKHOUSE_URL']) external.clickhouse = env['CLICKHOUSE_URL'];
  return {
    repoRoot,
    stackDir: resolve(options.stackDir ?? join(repoRoot, '.local/stack')),
    kafkaVersion,
    kafkaJarsDir: join(repoRoot, '.local/kafka', kafkaVersion, 'libs'),
    ports: { ...DEFAULT_PORTS, ...options.ports },
    external,
    engines: options.engines ?? [...ENGINE_NAMES],
  };
}

export function findRepoRoot(from: string): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}: run from inside the Chronicle workspace`);
    dir = parent;
  }
  return dir;
}

/** The pom is the one place the Kafka version is pinned. */
export function readKafkaVersion(pomPath: string): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pomPath, 'utf8'));
  if (!match?.[1]) throw new Error(`${pomPath} declares no <kafka.version>`);
  return match[1].trim();
}

export function engineDir(config: StackConfig, engine: EngineName): string {
  return join(config.stackDir, engine);
}

export function logFile(config: StackConfig, engine: EngineName): string {
  return join(config.stackDir, 'logs', `${engine}.log`);
}
