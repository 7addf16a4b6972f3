import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { isAlive } from './processes';
import { startSecureKafka, type SecureKafka, type SecureKafkaClientSecurity } from './secure-kafka';

jest.setTimeout(60_000);

describe('startSecureKafka', () => {
  let kafka: SecureKafka;

  beforeAll(async () => {
    kafka = await startSecureKafka({ progress: (message) => process.stderr.write(`${message}\n`) });
  }, 150_000);

  afterAll(() => kafka?.stop());

  /** Connects an admin with these settings and lists the topics; rejects as kafkajs does. */
  async function listTopics(settings: {
    ssl?: KafkaConfig['ssl'];
    sasl?: SecureKafkaClientSecurity['sasl'];
  }): Promise<string[]> {
    const admin = new Kafka({
      clientId: 'secure-kafka-spec',
      brokers: kafka.brokers,
      ssl: settings.ssl,
      // kafkajs types each mechanism as a union member of its own; the fields are the same for all three.
      sasl: settings.sasl as SASLOptions | undefined,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }

  it('serves the topics it created to clients of each mechanism, over TLS', async () => {
    await kafka.createTopics([{ topic: 'secure-kafka-spec', numPartitions: 2 }]);
    for (const mechanism of ['scram-sha-256', 'scram-sha-512', 'plain'] as const)
      await expect(listTopics(kafka.clientSecurity(mechanism))).resolves.toContain('secure-kafka-spec');
  });

  it('refuses a wrong password, a client that does not trust its CA, and one without TLS', async () => {
    await expect(listTopics(kafka.clientSecurity('scram-sha-512', 'wrong'))).rejects.toThrow(
      /SASL SCRAM SHA512 authentication failed/,
    );
    const { sasl } = kafka.clientSecurity();
    await expect(listTopics({ ssl: true, sasl })).rejects.toThrow(
      /self-signed certificate in certificate chain/,
    );
    // The broker expects a TLS handshake and hangs up on anything else.
    await expect(listTopics({ sasl })).rejects.toThrow(/Closed connection/);
  });

  it('stops its broker and removes its directory', async () => {
    await kafka.stop();
    expect(isAlive(kafka.pid)).toBe(false);
    expect(existsSync(dirname(kafka.logFile))).toBe(false);
  });
});
