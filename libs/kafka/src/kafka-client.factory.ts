import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';

/** How a client authenticates to the brokers; absent: PLAINTEXT. */
export interface KafkaSecurity {
  /** TLS to the brokers. `true`: the system's CAs. PEM texts (not file names) otherwise. */
  ssl?: true | { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  security?: KafkaSecurity;
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
    ...kafkaSecurityConfig(options.security),
  });
}

/** kafkajs's `ssl` and `sasl` settings for `security`; none at all for PLAINTEXT. */
export function kafkaSecurityConfig(security: KafkaSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ...(security?.ssl ? { ssl: security.ssl } : {}),
    // kafkajs types each mechanism as a union member of its own; the fields are the same for all three.
    ...(security?.sasl ? { sasl: security.sasl as SASLOptions } : {}),
  };
}
