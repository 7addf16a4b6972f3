-- Per entity, per UTC day and activity type: the distinct events (uniqExact of event ids, so a
-- duplicate is not counted twice) and the distinct users among their actors. Serves "most viewed
-- apps" and other top-entity lists. Events of every actor type count; users counts users only.
CREATE TABLE IF NOT EXISTS {database}.entity_daily_counts
(
    day           Date,
    entity_type   LowCardinality(String),
    activity_type LowCardinality(String),
    entity_id     String,
    events        AggregateFunction(uniqExact, UUID),
    users         AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (entity_type, day, activity_type, entity_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.entity_daily_counts_mv
TO {database}.entity_daily_counts
AS SELECT
    toDate(occurred_at) AS day,
    entity_type,
    activity_type,
    entity_id,
    uniqExactState(event_id) AS events,
    uniqExactStateIf(actor_key, actor_type = 'user') AS users
FROM {database}.events
WHERE entity_type != ''
GROUP BY day, entity_type, activity_type, entity_id;
