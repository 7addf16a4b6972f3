-- The pseudonymous raw events: one row per event, the actor replaced by its keyed pseudonym and the
-- metadata reduced to the catalog's analytics keys.
--
-- Redelivery: a redelivered event has the same event_id, occurred_at, activity_type and actor_key,
-- so the same sorting key in the same partition, and ReplacingMergeTree keeps one of the copies
-- when parts merge. Readers of this table that need exact figures before a merge read it with FINAL
-- (or count distinct event_id); the aggregate tables below do not rely on merges at all.
--
-- {database} and {retention_days} are filled in by migrateClickHouse (a checked identifier and a
-- checked integer); everything else runs unchanged on a ClickHouse server.
CREATE TABLE IF NOT EXISTS {database}.events
(
    event_id      UUID,
    occurred_at   DateTime64(3, 'UTC'),
    actor_key     String,
    actor_type    LowCardinality(String),
    activity_type LowCardinality(String),
    entity_type   LowCardinality(String),
    entity_id     String,
    source        LowCardinality(String),
    metadata      String CODEC(ZSTD(3)),
    ingested_at   DateTime64(3, 'UTC'),
    -- Erasure deletes by actor_key; the bloom filter lets it skip most granules.
    INDEX actor_key_bloom actor_key TYPE bloom_filter GRANULARITY 4,
    -- A raw actor id must never land here: only a 64-digit hex HMAC is accepted.
    CONSTRAINT actor_key_is_pseudonym CHECK match(actor_key, '^[0-9a-f]{64}$')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (toDate(occurred_at), activity_type, actor_key, event_id)
TTL toDateTime(occurred_at) + toIntervalDay({retention_days});
