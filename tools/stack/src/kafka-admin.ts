import { Kafka, type Admin, type KafkaConfig } from 'kafkajs';

/** Runs `use` with a connected admin client of `config`, disconnecting it whatever happens. */
export async function withKafkaAdmin<T>(config: KafkaConfig, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka(config).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}
