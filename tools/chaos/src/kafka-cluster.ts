import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureKafkaJars,
  ensureTopics,
  findProcessesMentioning,
  formatKafkaStorage,
  isAlive,
  newClusterId,
  resolveStackConfig,
  startKafkaProcess,
  stopProcess,
  waitFor,
  withKafkaAdmin,
} from '@chronicle/stack';
import { logLevel, type Admin, type ITopicConfig } from 'kafkajs';

/** One broker of the cluster: it is also one of the three controllers (KRaft combined mode). */
export interface BrokerNode {
  id: number;
  port: number;
  controllerPort: number;
  dir: string;
}

export interface KafkaClusterOptions {
  /** Where the nodes keep their data and logs; removed by `destroy()`. */
  dir: string;
  /** Broker n listens on basePort + n - 1 and its controller on basePort + 100 + n - 1. */
  basePort: number;
  nodes?: number;
  heap?: string;
  progress?: (message: string) => void;
}

/**
 * A Kafka cluster of its own for the chaos suite, from the same jars as the local stack: three
 * nodes, each a broker and a controller, so that the controller quorum survives the loss of any one.
 * Internal topics are replicated 3 times with min.insync.replicas=2, as a production cluster would be.
 */
export class KafkaCluster {
  readonly nodes: BrokerNode[];
  private readonly pids = new Map<number, number>();
  private readonly config = resolveStackConfig();

  constructor(private readonly options: KafkaClusterOptions) {
    this.nodes = Array.from({ length: options.nodes ?? 3 }, (_, index) => ({
      id: index + 1,
      port: options.basePort + index,
      controllerPort: options.basePort + 100 + index,
      dir: join(options.dir, `kafka-${index + 1}`),
    }));
  }

  get brokers(): string[] {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`);
  }

  /** Formats the nodes' storage (once per directory) and starts them all; resolves when each one is registered. */
  async start(): Promise<void> {
    await ensureKafkaJars(this.config, this.progress);
    await this.killStrays();
    const clusterId = newClusterId();
    for (const node of this.nodes) {
      mkdirSync(join(node.dir, 'data'), { recursive: true });
      writeFileSync(this.propertiesFile(node), brokerProperties(node, this.nodes));
      if (!existsSync(join(node.dir, 'data', 'meta.properties')))
        formatKafkaStorage(this.config, this.propertiesFile(node), clusterId);
    }
    for (const node of this.nodes) this.launch(node);
    await Promise.all(this.nodes.map((node) => this.waitForNode(node)));
  }

  /** Creates the topics (replication 3, min.insync.replicas 2) and waits for every partition's leader. */
  async createTopics(topics: Array<{ topic: string; numPartitions: number }>): Promise<void> {
    await this.withAdmin((admin) =>
      ensureTopics(
        admin,
        topics.map((topic): ITopicConfig => ({
          ...topic,
          replicationFactor: this.nodes.length,
          configEntries: [{ name: 'min.insync.replicas', value: String(Math.min(2, this.nodes.length)) }],
        })),
      ),
    );
  }

  /** The broker that leads the most partitions of `topic` (the lowest id on a tie). */
  async busiestLeader(topic: string): Promise<{ node: BrokerNode; partitions: number }> {
    const metadata = await this.withAdmin((admin) => admin.fetchTopicMetadata({ topics: [topic] }));
    const counts = new Map<number, number>();
    for (const partition of metadata.topics[0]?.partitions ?? [])
      counts.set(partition.leader, (counts.get(partition.leader) ?? 0) + 1);
    const [leader, partitions] = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0] ?? [1, 0];
    return { node: this.node(leader), partitions };
  }

  /** SIGKILL: no controlled shutdown, the leaderships move only when the controller notices. */
  async kill(node: BrokerNode): Promise<void> {
    const pid = this.pids.get(node.id);
    if (pid !== undefined) await stopProcess(pid, 'SIGKILL', 1_000);
    this.pids.delete(node.id);
  }

  /** Starts a killed node again on its data, and waits until it answers and is registered. */
  async restart(node: BrokerNode): Promise<void> {
    this.launch(node);
    await this.waitForNode(node);
  }

  /** Kills every node at once (the data is thrown away) and removes the data directories. */
  async destroy(): Promise<void> {
    await Promise.all([...this.pids.values()].map((pid) => stopProcess(pid, 'SIGKILL', 1_000)));
    this.pids.clear();
    await this.killStrays();
    for (const node of this.nodes) rmSync(join(node.dir, 'data'), { recursive: true, force: true });
  }

  logFile(node: BrokerNode): string {
    return join(node.dir, 'kafka.log');
  }

  private launch(node: BrokerNode): void {
    const pid = startKafkaProcess(
      this.config,
      this.propertiesFile(node),
      this.logFile(node),
      this.options.heap ?? '512m',
    );
    this.pids.set(node.id, pid);
  }

  /** Until the node itself answers and names itself among the cluster's registered brokers. */
  private async waitForNode(node: BrokerNode): Promise<void> {
    await waitFor(
      async () => {
        const pid = this.pids.get(node.id);
        if (pid === undefined || !isAlive(pid))
          throw new Error(`broker ${node.id} exited; see ${this.logFile(node)}`);
        const cluster = await this.withAdmin((admin) => admin.describeCluster(), [`127.0.0.1:${node.port}`]);
        return cluster.brokers.some((broker) => broker.nodeId === node.id);
      },
      { timeoutMs: 120_000, intervalMs: 500, what: `Kafka broker ${node.id} to answer` },
    );
  }

  private withAdmin<T>(use: (admin: Admin) => Promise<T>, brokers = this.brokers): Promise<T> {
    return withKafkaAdmin(
      {
        clientId: 'chronicle-chaos',
        brokers,
        logLevel: logLevel.NOTHING,
        connectionTimeout: 2_000,
        retry: { retries: 2 },
      },
      use,
    );
  }

  /** The processes of a run that crashed before it could clean up, found by their directory. */
  private async killStrays(): Promise<void> {
    const strays = findProcessesMentioning(this.options.dir);
    await Promise.all(strays.map((pid) => stopProcess(pid, 'SIGKILL', 1_000)));
  }

  private node(id: number): BrokerNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`no broker ${id} in this cluster`);
    return node;
  }

  private propertiesFile(node: BrokerNode): string {
    return join(node.dir, 'server.properties');
  }

  private readonly progress = (message: string) => this.options.progress?.(message);
}

/** A combined broker + controller node; internal topics replicated on every node, two in sync to write. */
export function brokerProperties(node: BrokerNode, nodes: readonly BrokerNode[]): string {
  const minIsr = Math.min(2, nodes.length);
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `controller.quorum.voters=${nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${node.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(node.dir, 'data')}`,
    'auto.create.topics.enable=false',
    `default.replication.factor=${nodes.length}`,
    `min.insync.replicas=${minIsr}`,
    // A replica that was out of sync never becomes leader: that would lose acknowledged records.
    'unclean.leader.election.enable=false',
    `offsets.topic.replication.factor=${nodes.length}`,
    'offsets.topic.num.partitions=12',
    `transaction.state.log.replication.factor=${nodes.length}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${nodes.length}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=24',
    '',
  ].join('\n');
}
