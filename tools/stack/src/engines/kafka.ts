import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EVENTS_TOPIC_PARTITIONS, TOPICS } from '@chronicle/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { ensureTopics } from '../kafka-topics';
import { spawnDaemon } from '../processes';
import { engineDir, logFile, type StackConfig } from '../stack-config';
import type { Engine, Progress } from './engine';

/** The topics every Chronicle service expects, created when the stack starts. */
export const STACK_TOPICS = [
  { topic: TOPICS.events, numPartitions: DEFAULT_EVENTS_TOPIC_PARTITIONS },
  { topic: TOPICS.dlq, numPartitions: 3 },
  { topic: TOPICS.erasure, numPartitions: 3 },
  { topic: TOPICS.erasureStatus, numPartitions: 3 },
];

const INSTALLED_MARKER = '.installed';

export const kafkaEngine: Engine = {
  name: 'kafka',
  stopSignal: 'SIGTERM',
  stopGraceMs: 30_000,
  startTimeoutMs: 90_000,
  ports: (config) => [config.ports.kafka, config.ports.kafkaController],
  url: (config) => `127.0.0.1:${config.ports.kafka}`,

  async start(config, progress) {
    await ensureKafkaJars(config, progress);
    const dir = engineDir(config, 'kafka');
    const dataDir = join(dir, 'data');
    const propertiesFile = join(dir, 'server.properties');
    mkdirSync(dataDir, { recursive: true });
    const { kafka, kafkaController } = config.ports;
    writeFileSync(
      propertiesFile,
      singleNodeProperties(dataDir, kafkaController, [
        `listeners=PLAINTEXT://127.0.0.1:${kafka},CONTROLLER://127.0.0.1:${kafkaController}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${kafka}`,
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
      ]),
    );
    if (!existsSync(join(dataDir, 'meta.properties'))) {
      progress('formatting the KRaft storage (once)');
      formatKafkaStorage(config, propertiesFile, newClusterId());
    }
    return startKafkaProcess(config, propertiesFile, logFile(config, 'kafka'));
  },

  async probe(brokers, config) {
    const admin = new Kafka({
      clientId: 'chronicle-stack-probe',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
      // Kafka's protocol does not carry the release number; a broker this stack runs is the pom's version.
      return brokers === this.url(config)
        ? `Apache Kafka ${config.kafkaVersion}`
        : 'Apache Kafka (external broker)';
    } finally {
      await admin.disconnect();
    }
  },

  async prepare(brokers) {
    const admin = new Kafka({
      clientId: 'chronicle-stack',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await ensureTopics(admin, STACK_TOPICS);
    } finally {
      await admin.disconnect();
    }
  },
};

/** Copies Kafka's runtime jars from Maven Central into the checkout, once; later runs reuse them. */
export async function ensureKafkaJars(config: StackConfig, progress: Progress): Promise<void> {
  if (existsSync(join(config.kafkaJarsDir, INSTALLED_MARKER))) return;
  progress(`copying Apache Kafka ${config.kafkaVersion} jars from Maven Central (once)`);
  const staging = `${config.kafkaJarsDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  const started = Date.now();
  const heartbeat = setInterval(
    () => progress(`  still copying jars (${Math.round((Date.now() - started) / 1000)} s)`),
    10_000,
  );
  try {
    await run('mvn', [
      '-B',
      '-q',
      '-f',
      join(config.repoRoot, 'deploy/kafka/pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ]);
  } finally {
    clearInterval(heartbeat);
  }
  rmSync(config.kafkaJarsDir, { recursive: true, force: true });
  renameSync(staging, config.kafkaJarsDir);
  writeFileSync(join(config.kafkaJarsDir, INSTALLED_MARKER), `${config.kafkaVersion}\n`);
  progress(
    `  ${readdirSync(config.kafkaJarsDir).length - 1} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Runs one of Kafka's command-line classes (storage tool, console producer…) to completion. */
export function runKafkaClass(
  config: Pick<StackConfig, 'repoRoot' | 'kafkaJarsDir'>,
  mainClass: string,
  args: string[],
  input?: string,
): string {
  const result = spawnSync('java', [...jvmOptions(config, '256m'), mainClass, ...args], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `${mainClass} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

/** The JVM flags every Kafka process of this checkout runs with: heap, log4j configuration, the jars. */
export function jvmOptions(config: Pick<StackConfig, 'repoRoot' | 'kafkaJarsDir'>, heap: string): string[] {
  return [
    `-Xms${heap}`,
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(config.repoRoot, 'deploy/kafka/log4j2.properties')}`,
    '-cp',
    // Java expands "dir/*" to every jar in dir itself.
    `${config.kafkaJarsDir}/*`,
  ];
}

/**
 * Formats a node's KRaft storage for the cluster `clusterId`; a directory already formatted is left
 * as it is. `extraArgs` e.g. `--add-scram` credentials.
 */
export function formatKafkaStorage(
  config: Pick<StackConfig, 'repoRoot' | 'kafkaJarsDir'>,
  propertiesFile: string,
  clusterId: string,
  extraArgs: string[] = [],
): void {
  runKafkaClass(config, 'kafka.tools.StorageTool', [
    'format',
    '-t',
    clusterId,
    '-c',
    propertiesFile,
    '-g',
    ...extraArgs,
  ]);
}

/** Starts a Kafka node on its properties in the background, output to `logFile`; returns its pid. */
export function startKafkaProcess(
  config: Pick<StackConfig, 'repoRoot' | 'kafkaJarsDir'>,
  propertiesFile: string,
  logFile: string,
  heap = '512m',
): number {
  return spawnDaemon({
    command: 'java',
    args: [...jvmOptions(config, heap), 'kafka.Kafka', propertiesFile],
    logFile,
  });
}

/**
 * Single node, combined broker + controller (node 1, its controller on `controllerPort`); every
 * internal topic at replication 1 so one node suffices. `listeners`: the lines that say where
 * clients and the controller connect and how (listeners, advertised.listeners, the protocol map,
 * the inter-broker listener and whatever its security needs).
 */
export function singleNodeProperties(dataDir: string, controllerPort: number, listeners: string[]): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    'controller.listener.names=CONTROLLER',
    ...listeners,
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    // Topics are created on purpose (by the stack and by tests), so a typo fails instead of creating one.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    // The default 3 s delay before the first rebalance only slows tests and local runs down.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid`
 * prints). Like Kafka's own Uuid.randomUuid(), never one starting with "-": the storage tool would
 * read it as an option.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output.slice(-4000)}`)),
    );
  });
}
