-- Which users were active on which UTC day with which type, and with how many distinct events
-- (a uniqExact state of event ids, so a redelivered event is not counted twice). Serves cohort
-- retention and most active users. Per-user data: expires with the raw events and is erased with them.
CREATE TABLE IF NOT EXISTS {database}.user_daily_activity
(
    day           Date,
    activity_type LowCardinality(String),
    actor_key     String,
    events        AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, activity_type, actor_key)
TTL day + toIntervalDay({retention_days});

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.user_daily_activity_mv
TO {database}.user_daily_activity
AS SELECT
    toDate(occurred_at) AS day,
    activity_type,
    actor_key,
    uniqExactState(event_id) AS events
FROM {database}.events
WHERE actor_type = 'user'
GROUP BY day, activity_type, actor_key;
