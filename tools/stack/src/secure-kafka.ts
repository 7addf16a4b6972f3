import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import {
  ensureKafkaJars,
  formatKafkaStorage,
  newClusterId,
  singleNodeProperties,
  startKafkaProcess,
} from './engines/kafka';
import { freePort } from './free-port';
import { withKafkaAdmin } from './kafka-admin';
import { ensureTopics } from './kafka-topics';
import { findProcessesMentioning, isAlive, stopProcess } from './processes';
import { resolveStackConfig } from './stack-config';
import { makeTestCertificates } from './test-certificates';
import { waitFor } from './wait-for';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** A client's settings for the secure broker: the shape of @chronicle/kafka's KafkaSecurity. */
export interface SecureKafkaClientSecurity {
  ssl: { ca: string };
  sasl: { mechanism: SaslMechanism; username: string; password: string };
}

export interface SecureKafka {
  /** The SASL_SSL listener, the only one clients can reach. */
  readonly brokers: string[];
  /** PEM of the CA that signed the broker's certificate (for 127.0.0.1 and localhost). */
  readonly ca: string;
  readonly username: string;
  readonly password: string;
  readonly pid: number;
  readonly logFile: string;
  /** TLS against the broker's CA and SASL as `username`, with the right password unless told otherwise. */
  clientSecurity(mechanism?: SaslMechanism, password?: string): SecureKafkaClientSecurity;
  /** Creates the topics through the secure listener and waits for their leaders. */
  createTopics(topics: ITopicConfig[]): Promise<void>;
  /** Kills the broker (its data is thrown away) and removes its directory. */
  stop(): Promise<void>;
}

export interface SecureKafkaOptions {
  progress?: (message: string) => void;
  heap?: string;
}

const USERNAME = 'chronicle';
/** Each broker's directory is under this one (in the checkout's .local): broker-<pid>-<random>. */
const BASE_DIR = '.local/secure-kafka';
/** A broker's directory names the process that started it, so that a later run can clean up after a crashed one. */
const OWNED_DIR = /^broker-(\d+)-/;

/**
 * A single-node Kafka (KRaft, broker + controller) that clients reach only over SASL_SSL: a CA and
 * a broker certificate made with openssl, SCRAM-SHA-256 and -512 credentials written at format
 * time, PLAIN from the listener's JAAS entry, on free ports of 127.0.0.1. From the local stack's
 * jars. For tests that prove the services' TLS and SASL settings against a real broker.
 */
export async function startSecureKafka(options: SecureKafkaOptions = {}): Promise<SecureKafka> {
  const progress = options.progress ?? (() => undefined);
  const config = resolveStackConfig();
  await ensureKafkaJars(config, progress);
  const baseDir = join(config.repoRoot, BASE_DIR);
  mkdirSync(baseDir, { recursive: true });
  await removeAbandoned(baseDir);
  const dir = mkdtempSync(join(baseDir, `broker-${process.pid}-`));
  const started = Date.now();
  const password = randomBytes(18).toString('base64url');
  let pid: number | undefined;
  try {
    progress(`secure Kafka: certificates in ${dir}`);
    const tls = brokerTls(dir);
    const [port, controllerPort] = [await freePort(), await freePort()];
    const dataDir = join(dir, 'data');
    const propertiesFile = join(dir, 'server.properties');
    mkdirSync(dataDir);
    writeFileSync(
      propertiesFile,
      singleNodeProperties(dataDir, controllerPort, secureListeners(port, controllerPort, tls, password)),
    );
    progress('secure Kafka: formatting the storage with SCRAM credentials');
    formatKafkaStorage(config, propertiesFile, newClusterId(), [
      ...['--add-scram', `SCRAM-SHA-256=[name=${USERNAME},password=${password}]`],
      ...['--add-scram', `SCRAM-SHA-512=[name=${USERNAME},password=${password}]`],
    ]);
    const logFile = join(dir, 'kafka.log');
    pid = startKafkaProcess(config, propertiesFile, logFile, options.heap ?? '512m');
    const brokers = [`127.0.0.1:${port}`];
    const security = (mechanism: SaslMechanism = 'scram-sha-256', pass = password) => ({
      ssl: { ca: tls.ca },
      sasl: { mechanism, username: USERNAME, password: pass },
    });
    const withAdmin = <T>(use: (admin: Admin) => Promise<T>): Promise<T> =>
      withKafkaAdmin(
        {
          clientId: 'chronicle-secure-kafka',
          brokers,
          ssl: { ca: tls.ca },
          sasl: { mechanism: 'scram-sha-256', username: USERNAME, password },
          logLevel: logLevel.NOTHING,
          connectionTimeout: 2_000,
          retry: { retries: 0 },
        },
        use,
      );
    const brokerPid = pid;
    progress(`secure Kafka: starting on ${brokers[0]} (SASL_SSL)`);
    const outcome = await waitFor(
      async () => {
        if (!isAlive(brokerPid)) return 'exited';
        const cluster = await withAdmin((admin) => admin.describeCluster());
        return cluster.brokers.length > 0 ? 'ready' : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: `the secure Kafka broker to answer (log: ${logFile})` },
    );
    if (outcome === 'exited')
      throw new Error(`the secure Kafka broker exited while starting; see ${logFile}`);
    progress(`secure Kafka: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      brokers,
      ca: tls.ca,
      username: USERNAME,
      password,
      pid: brokerPid,
      logFile,
      clientSecurity: security,
      createTopics: (topics) => withAdmin((admin) => ensureTopics(admin, topics)),
      async stop() {
        await stopProcess(brokerPid, 'SIGKILL', 1_000);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (pid !== undefined) await stopProcess(pid, 'SIGKILL', 1_000);
    // The log stays for a post-mortem when the broker got as far as starting.
    if (pid === undefined) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface BrokerTls {
  /** The CA's certificate (PEM): what clients trust. */
  ca: string;
  /** The broker's key, its certificate and the CA's, in one PEM file (Kafka's PEM keystore). */
  keystoreFile: string;
  caFile: string;
}

/** The test CA and the broker's certificate (for 127.0.0.1 and localhost), as Kafka's PEM stores read them. */
function brokerTls(dir: string): BrokerTls {
  const { ca, caFile, cert, key } = makeTestCertificates(dir, 'broker');
  const keystoreFile = join(dir, 'broker-keystore.pem');
  writeFileSync(keystoreFile, key + cert + ca);
  return { ca, keystoreFile, caFile };
}

/**
 * Clients and the broker itself (inter-broker) on SASL_SSL; the controller on PLAINTEXT, bound to
 * 127.0.0.1. The SCRAM credentials are in the metadata log (written at format); PLAIN's are in its
 * JAAS entry (`user_<name>`). The `username`/`password` of each entry are what the broker logs in
 * with as a client of its own listener (inter-broker, SCRAM-SHA-512).
 */
function secureListeners(port: number, controllerPort: number, tls: BrokerTls, password: string): string[] {
  const jaas = (module: string, extra = '') =>
    `${module} required username="${USERNAME}" password="${password}"${extra};`;
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule';
  const plain = 'org.apache.kafka.common.security.plain.PlainLoginModule';
  return [
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'inter.broker.listener.name=SASL_SSL',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,PLAIN',
    `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${jaas(scram)}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas(scram)}`,
    `listener.name.sasl_ssl.plain.sasl.jaas.config=${jaas(plain, ` user_${USERNAME}="${password}"`)}`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${tls.keystoreFile}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${tls.caFile}`,
    'ssl.client.auth=none',
  ];
}

/** Brokers (and directories) left by runs whose process is gone: a killed test run cannot clean up. */
async function removeAbandoned(baseDir: string): Promise<void> {
  for (const entry of readdirSync(baseDir)) {
    const owner = Number(OWNED_DIR.exec(entry)?.[1]);
    if (Number.isInteger(owner) && isAlive(owner)) continue;
    const dir = join(baseDir, entry);
    await Promise.all(findProcessesMentioning(dir).map((pid) => stopProcess(pid, 'SIGKILL', 1_000)));
    rmSync(dir, { recursive: true, force: true });
  }
}
