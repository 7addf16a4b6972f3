-- Distinct events per UTC day and activity type (every actor type): the activity mix. A uniqExact
-- state of event ids rather than a count, so that redelivery changes no figure.
CREATE TABLE IF NOT EXISTS {database}.activity_daily_counts
(
    day           Date,
    activity_type LowCardinality(String),
    events        AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, activity_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.activity_daily_counts_mv
TO {database}.activity_daily_counts
AS SELECT
    toDate(occurred_at) AS day,
    activity_type,
    uniqExactState(event_id) AS events
FROM {database}.events
GROUP BY day, activity_type;
