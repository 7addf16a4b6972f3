import { brokerProperties, KafkaCluster } from './kafka-cluster';

describe('the chaos Kafka cluster', () => {
  const cluster = new KafkaCluster({ dir: '/tmp/chaos-spec', basePort: 29092 });

  it('has three nodes on consecutive ports, controllers 100 above', () => {
    expect(cluster.brokers).toEqual(['127.0.0.1:29092', '127.0.0.1:29093', '127.0.0.1:29094']);
    expect(cluster.nodes.map((node) => node.controllerPort)).toEqual([29192, 29193, 29194]);
  });

  it('makes each node a broker and a voter of one quorum, and replicates everything 3 times with 2 in sync', () => {
    const properties = brokerProperties(cluster.nodes[1] as never, cluster.nodes);
    expect(properties).toContain('node.id=2\n');
    expect(properties).toContain(
      'controller.quorum.voters=1@127.0.0.1:29192,2@127.0.0.1:29193,3@127.0.0.1:29194\n',
    );
    expect(properties).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:29093\n');
    expect(properties).toContain('log.dirs=/tmp/chaos-spec/kafka-2/data\n');
    for (const setting of [
      'default.replication.factor=3',
      'min.insync.replicas=2',
      'offsets.topic.replication.factor=3',
      'transaction.state.log.min.isr=2',
      'unclean.leader.election.enable=false',
    ])
      expect(properties).toContain(`${setting}\n`);
  });
});
