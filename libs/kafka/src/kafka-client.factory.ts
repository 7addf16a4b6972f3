import { Kafka, logLevel, type logCreator } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** Where kafkajs's own errors go; warnings and below are dropped (it logs every reconnect attempt). */
  log?: (line: string) => void;
  /**
   * How often kafkajs retries a failed connection or request before giving up (its default: 5, over
   * about 10 s). A probe sets 0, so that it answers at once.
   */
  retries?: number;
}

/**
 * The one way Chronicle's consumers and DLQ producers talk to Kafka. kafkajs's errors are written as
 * one line each, prefixed by the client id; its retries on connection failures are left to the
 * callers, which know whether to wait (a consumer) or give up (a health probe).
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.log ?? ((line: string) => console.error(line));
  const creator: logCreator =
    () =>
    ({ namespace, log: entry }) => {
      log(
        `[${options.clientId}] kafkajs${namespace ? ` ${namespace}` : ''}: ${entry.message}${entry['error'] ? ` (${String(entry['error'])})` : ''}`,
      );
    };
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.ERROR,
    logCreator: creator,
    ...(options.retries !== undefined ? { retry: { retries: options.retries } } : {}),
  });
}

/** `host:port,host:port` → brokers, refusing an empty list. */
export function parseBrokers(value: string | undefined, variable = 'KAFKA_BROKERS'): string[] {
  const brokers = (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error(`${variable} must list at least one broker (host:port)`);
  for (const broker of brokers)
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) throw new Error(`${variable}: "${broker}" is not host:port`);
  return brokers;
}
