import type { Admin, Kafka } from 'kafkajs';
import { createKafkaClient, type KafkaClientOptions } from './kafka-client.factory';

/**
 * For /health: one admin call, not retried (a probe must answer, not wait). A client of its own: the
 * admin's retry setting does not cover connecting, which follows the client's (about 10 s of retries).
 */
export class KafkaProbe {
  private admin: Admin | undefined;
  private readonly kafka: Kafka;

  constructor(options: Omit<KafkaClientOptions, 'retries'>) {
    this.kafka = createKafkaClient({ ...options, clientId: `${options.clientId}-probe`, retries: 0 });
  }

  async check(): Promise<void> {
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    await this.admin.connect();
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
