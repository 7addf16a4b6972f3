-- actor_directory mapped each pseudonym back to a user id, next to the events, for anyone who could
-- read ClickHouse. That mapping now lives in the identified store (Postgres `pseudonyms`, under its
-- retention and erasure); ClickHouse keeps pseudonyms only (docs/privacy.md).
DROP TABLE IF EXISTS {database}.actor_directory;
