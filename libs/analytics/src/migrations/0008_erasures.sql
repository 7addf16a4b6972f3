-- The erasure requests the analytics worker has carried out, by pseudonym (never the user id): how a
-- late event of an erased actor, timed at or before the request, is recognised and left out.
-- Kept for the retention period, after which no such event could be stored anyway.
CREATE TABLE IF NOT EXISTS {database}.erasures
(
    actor_key    String,
    request_id   UUID,
    requested_at DateTime64(3, 'UTC'),
    -- 0 (1970) while the erasure is under way; the newest row of a request wins (read with FINAL).
    completed_at DateTime64(3, 'UTC'),
    rows_deleted UInt64,
    CONSTRAINT erasure_actor_key_is_pseudonym CHECK match(actor_key, '^[0-9a-f]{64}$')
)
ENGINE = ReplacingMergeTree(completed_at)
ORDER BY (actor_key, request_id)
TTL toDateTime(requested_at) + toIntervalDay({retention_days});
