-- When each user was first seen with each activity type: the cohorts "first event of a chosen type"
-- (e.g. first download). Like actor_first_seen, min() is idempotent and there is no TTL (one key,
-- type and timestamp per user and type, deleted by erasure).
CREATE TABLE IF NOT EXISTS {database}.actor_first_seen_by_type
(
    actor_key     String,
    activity_type LowCardinality(String),
    first_seen    SimpleAggregateFunction(min, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (actor_key, activity_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.actor_first_seen_by_type_mv
TO {database}.actor_first_seen_by_type
AS SELECT
    actor_key,
    activity_type,
    min(occurred_at) AS first_seen
FROM {database}.events
WHERE actor_type = 'user'
GROUP BY actor_key, activity_type;

-- The events stored before this migration, as far back as the raw events reach (RETENTION_DAYS). An
-- event the view also saw only repeats a minimum.
INSERT INTO {database}.actor_first_seen_by_type
SELECT actor_key, activity_type, min(occurred_at) AS first_seen
FROM {database}.events
WHERE actor_type = 'user'
GROUP BY actor_key, activity_type;
