import { integer, optionalText, text } from './env-schema';

// What every Chronicle process reads (libs/service's runService, libs/observability's build info).
export const RUNTIME_ENV = {
  stopDeadlineMs: integer('STOP_DEADLINE_MS', {
    default: 30_000,
    min: 1_000,
    max: 600_000,
    description: 'How long a graceful stop may take before the process exits anyway.',
  }),
  revision: optionalText('CHRONICLE_REVISION', {
    description:
      'The source revision in chronicle_build_info{revision}; unset: `git rev-parse --short HEAD` of the checkout, else "unknown" (an image built without .git should set it).',
  }),
};

// What both workers read: their ops endpoint and how they watch their partitions.
export const WORKER_ENV = {
  opsHost: text('OPS_HOST', {
    default: '127.0.0.1',
    description:
      'Address of /metrics and /health/*: this machine only by default; 0.0.0.0 for a scraper or probe elsewhere (a container).',
  }),
  stallAfterMs: integer('PARTITION_STALL_AFTER_MS', {
    default: 60_000,
    min: 1_000,
    max: 86_400_000,
    description:
      'A partition that does not move this long (its batch uncommitted, or records waiting and none fetched) stalls: /health/ready answers 503 naming it.',
  }),
  lagPollIntervalMs: integer('LAG_POLL_INTERVAL_MS', {
    default: 5_000,
    min: 100,
    max: 300_000,
    description:
      'How often each consumer asks the broker for its partitions’ lag (chronicle_kafka_consumer_lag, …_lag_seconds).',
  }),
};
