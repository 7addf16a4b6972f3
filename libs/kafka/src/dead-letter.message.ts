import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Why a record went to the DLQ, in words a person and a dashboard can both use. */
export interface DeadLetter {
  source: { topic: string; partition: number; offset: string };
  /** The record as it was read: its bytes and headers are kept unchanged. */
  message: Pick<KafkaMessage, 'key' | 'value' | 'headers' | 'timestamp'>;
  /** Short and stable, a metric label: `undecodable`, `invalid`, `time_in_future`, `store_rejected`. */
  reason: string;
  /** Where it failed: `decode`, `validate`, `time-window`, `store`. */
  stage: string;
  /** The problems, for a person; must hold no values from the record (they may be personal data). */
  detail: string;
}

/** The headers a dead letter carries besides the original ones. */
export const DLQ_HEADERS = {
  reason: 'chronicle-dlq-reason',
  stage: 'chronicle-dlq-stage',
  detail: 'chronicle-dlq-detail',
  sourceTopic: 'chronicle-dlq-source-topic',
  sourcePartition: 'chronicle-dlq-source-partition',
  sourceOffset: 'chronicle-dlq-source-offset',
  failedAt: 'chronicle-dlq-failed-at',
} as const;

/** Headers are not for essays: a record with thousands of problems keeps the first part of the list. */
const MAX_DETAIL_LENGTH = 1_000;

/** The record a dead letter becomes on the DLQ topic: the original key and bytes, headers added. */
export function toDeadLetterMessage(letter: DeadLetter, failedAt = new Date()): Message {
  return {
    key: letter.message.key,
    value: letter.message.value,
    headers: deadLetterHeaders(letter, failedAt),
  };
}

function deadLetterHeaders(letter: DeadLetter, failedAt = new Date()): IHeaders {
  const detail =
    letter.detail.length > MAX_DETAIL_LENGTH
      ? `${letter.detail.slice(0, MAX_DETAIL_LENGTH - 1)}…`
      : letter.detail;
  return {
    ...letter.message.headers,
    [DLQ_HEADERS.reason]: letter.reason,
    [DLQ_HEADERS.stage]: letter.stage,
    [DLQ_HEADERS.detail]: detail,
    [DLQ_HEADERS.sourceTopic]: letter.source.topic,
    [DLQ_HEADERS.sourcePartition]: String(letter.source.partition),
    [DLQ_HEADERS.sourceOffset]: letter.source.offset,
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
  };
}
