/** Why ClickHouse refused a row: the DLQ's reason and stage (the ingest worker's refusals say `postgres`). */
export const CLICKHOUSE_REJECTED = { reason: 'store_rejected', stage: 'clickhouse' } as const;

/** Why a record is not inserted (`chronicle_analytics_skipped_total{reason}`). */
export const SKIP_REASONS = {
  /** Not a CloudEvent of ours, or not valid: the ingest worker dead-letters it. */
  undecodable: 'undecodable',
  invalid: 'invalid',
  /** Of an actor who asked for erasure, timed at or before the request. */
  erased: 'erased',
  /** On the erasure topic: the ingest worker dead-letters it. */
  invalidErasureRequest: 'invalid_erasure_request',
} as const;
