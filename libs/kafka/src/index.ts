// @chronicle/kafka: how Chronicle's services consume and dead-letter. No Nest here; apps wire it.
export { createKafkaClient, parseBrokers } from './kafka-client.factory';
export type { KafkaClientOptions } from './kafka-client.factory';
export { BatchConsumer, DEFAULT_STALL_AFTER_MS, logRetries, logStalls } from './batch-consumer';
export { KafkaProbe } from './kafka-probe';
export type { BatchConsumerOptions, ConsumedBatch, PartitionStall } from './batch-consumer';
export { DLQ_HEADERS, toDeadLetterMessage } from './dead-letter.message';
export { RecordPublisher } from './record.publisher';
export type { DeadLetter } from './dead-letter.message';
export { backoffDelay, DEFAULT_BACKOFF, retryWithBackoff } from './backoff.util';
export type { BackoffOptions } from './backoff.util';
export { writeIsolatingRejects } from './reject-isolation';
export type { IsolationResult, RejectIsolationOptions, StoreFailureKind } from './reject-isolation';
