-- Daily active users per activity type: the exact set of users (as a uniqExact state) active on a UTC
-- day with a type. DAU, WAU, MAU and stickiness merge these states over days and types, so a
-- duplicate event only adds a user to a set they are already in: redelivery changes no figure.
-- Users only: system and service actors are not "active users".
CREATE TABLE IF NOT EXISTS {database}.daily_active_users
(
    day           Date,
    activity_type LowCardinality(String),
    users         AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, activity_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.daily_active_users_mv
TO {database}.daily_active_users
AS SELECT
    toDate(occurred_at) AS day,
    activity_type,
    uniqExactState(actor_key) AS users
FROM {database}.events
WHERE actor_type = 'user'
GROUP BY day, activity_type;
