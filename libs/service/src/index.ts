// @chronicle/service: how a Chronicle process starts and stops (its configuration is @chronicle/config's), and the
// runtime both workers are built on (Kafka client, consumers, publisher, ops endpoint, ordered stop).
export { runService } from './run-service';
export type { RunServiceOptions } from './run-service';
export { WorkerRuntime } from './worker-runtime';
export type { WorkerConsumerOptions, WorkerRuntimeOptions } from './worker-runtime';
