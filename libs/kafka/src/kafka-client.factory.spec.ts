import { createKafkaClient, kafkaSecurityConfig } from './kafka-client.factory';

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

describe('kafkaSecurityConfig', () => {
  it('sets neither ssl nor sasl without security, so kafkajs speaks PLAINTEXT', () => {
    expect(kafkaSecurityConfig(undefined)).toEqual({});
    expect(kafkaSecurityConfig({})).toEqual({});
  });

  it("passes TLS with the system's CAs as ssl: true", () => {
    expect(kafkaSecurityConfig({ ssl: true })).toEqual({ ssl: true });
  });

  it('passes PEM texts and SASL credentials through to kafkajs unchanged', () => {
    const security = {
      ssl: { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' },
      sasl: { mechanism: 'scram-sha-512' as const, username: 'chronicle', password: 's3cret' },
    };
    expect(kafkaSecurityConfig(security)).toEqual(security);
  });

  it('passes SASL alone, for a SASL_PLAINTEXT listener', () => {
    expect(kafkaSecurityConfig({ sasl: { mechanism: 'plain', username: 'u', password: 'p' } })).toEqual({
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    });
  });
});
