import { createKafkaClient, parseBrokers } from './kafka-client.factory';

describe('parseBrokers', () => {
  it('splits and trims a list of host:port', () => {
    expect(parseBrokers(' a:1, b:2 ,')).toEqual(['a:1', 'b:2']);
  });

  it.each([
    [undefined, /KAFKA_BROKERS must list at least one broker/],
    ['', /KAFKA_BROKERS must list/],
    ['host', /KAFKA_BROKERS: "host" is not host:port/],
  ])('refuses %p, naming the variable', (value, message) => {
    expect(() => parseBrokers(value)).toThrow(message);
  });

  it('names the variable it was given', () => {
    expect(() => parseBrokers('', 'BROKERS')).toThrow(/^BROKERS/);
  });
});

describe('createKafkaClient', () => {
  it('sends kafkajs errors to the given log, one line each, and drops its warnings', () => {
    const lines: string[] = [];
    const kafka = createKafkaClient({
      brokers: ['127.0.0.1:1'],
      clientId: 'probe',
      log: (l) => lines.push(l),
    });
    kafka.logger().warn('reconnecting');
    kafka.logger().error('Connection failed', { error: 'ECONNREFUSED' });
    kafka.logger().error('Crash');
    expect(lines).toEqual(['[probe] kafkajs: Connection failed (ECONNREFUSED)', '[probe] kafkajs: Crash']);
  });
});
