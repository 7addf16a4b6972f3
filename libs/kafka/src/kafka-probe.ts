import type { Admin, Kafka } from 'kafkajs';

/** For /health: one admin call, not retried (a probe must answer, not wait). */
export class KafkaProbe {
  private admin: Admin | undefined;

  constructor(private readonly kafka: Kafka) {}

  async check(): Promise<void> {
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    await this.admin.connect();
    await this.admin.describeCluster();
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
