// @chronicle/kafka: how Chronicle's services consume and dead-letter. No Nest here; apps wire it.
export { createKafkaClient, kafkaSecurityConfig } from './kafka-client.factory';
export type { KafkaClientOptions, KafkaSecurity } from './kafka-client.factory';
export {
  BatchConsumer,
  DEFAULT_LAG_POLL_INTERVAL_MS,
  DEFAULT_STALL_AFTER_MS,
  logLagPollErrors,
  logRetries,
  logStalls,
} from './batch-consumer';
export { KafkaProbe } from './kafka-probe';
export type { BatchConsumerOptions, ConsumedBatch } from './batch-consumer';
export { partitionLag, PartitionProgress } from './partition-progress';
export type { PartitionStall } from './partition-progress';
export { DLQ_HEADERS, toDeadLetterMessage } from './dead-letter.message';
export { RecordPublisher } from './record.publisher';
export type { DeadLetter } from './dead-letter.message';
export { backoffDelay, DEFAULT_BACKOFF, retryWithBackoff } from './backoff.util';
export type { BackoffOptions } from './backoff.util';
export { STORE_FAILURE_KINDS, writeIsolatingRejects } from './reject-isolation';
export type { IsolationResult, RejectIsolationOptions, StoreFailureKind } from './reject-isolation';
export { RECORD_OUTCOMES, RecordOutcomes } from './record-outcome';
export type { RecordOutcome } from './record-outcome';
