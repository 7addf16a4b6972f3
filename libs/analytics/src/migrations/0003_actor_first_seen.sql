-- When each user was first seen (any activity type): the cohort a user belongs to. min() is
-- idempotent, so redelivered or late events cannot move a user to another cohort unless they are
-- genuinely older. No TTL: a user's cohort must outlive the raw events (one key and one timestamp
-- per user, deleted by erasure).
CREATE TABLE IF NOT EXISTS {database}.actor_first_seen
(
    actor_key  String,
    first_seen SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY actor_key;

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.actor_first_seen_mv
TO {database}.actor_first_seen
AS SELECT
    actor_key,
    min(occurred_at) AS first_seen
FROM {database}.events
WHERE actor_type = 'user'
GROUP BY actor_key;
