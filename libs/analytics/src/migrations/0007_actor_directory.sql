-- actor_key → actor id: the only place where a pseudonym can be turned back into an id. Written by
-- the analytics worker beside the events, read only by resolveActors ("most active users"); dashboard
-- users are refused it with a GRANT/REVOKE (docs/analytics.md). The newest last_seen wins; an actor
-- not seen for the retention period is forgotten.
CREATE TABLE IF NOT EXISTS {database}.actor_directory
(
    actor_key  String,
    actor_id   String,
    actor_type LowCardinality(String),
    last_seen  DateTime64(3, 'UTC'),
    CONSTRAINT actor_key_is_pseudonym CHECK match(actor_key, '^[0-9a-f]{64}$')
)
ENGINE = ReplacingMergeTree(last_seen)
ORDER BY actor_key
TTL toDateTime(last_seen) + toIntervalDay({retention_days});
