/**
 * Kafka topic names. The `.v1` suffix is part of the contract: a breaking change to the event gets a
 * new topic, so consumers of the old one keep working while both exist.
 */
export const TOPICS = {
  /** Every activity event (CloudEvents 1.0), keyed by actor id. The source of truth. */
  events: 'activity.events.v1',
  /** Records that can never be valid: the original bytes plus reason headers. */
  dlq: 'activity.events.dlq.v1',
  /** Erasure requests, keyed by user id; both workers delete the user's data. */
  erasure: 'activity.erasure.v1',
  /** One completion per store and erasure request, keyed by request id, so the requester can follow it. */
  erasureStatus: 'activity.erasure.status.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * Default partition count of the events topic. Ordering is per actor (the key), so this bounds the
 * consumers' parallelism; 12 divides evenly among 1, 2, 3, 4, 6 or 12 consumers of a group.
 */
export const DEFAULT_EVENTS_TOPIC_PARTITIONS = 12;
