import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events table and the erasure log. Partitions are not created here: the ingest worker creates
 * each day's partition ahead of time and on demand (see daily-partitions.ts), and retention drops them.
 */
export class CreateActivityStore1763769600000 implements MigrationInterface {
  name = 'CreateActivityStore1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE activity_events (
        id            uuid        NOT NULL,
        occurred_at   timestamptz NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now(),
        actor_type    text        NOT NULL,
        actor_id      text        NOT NULL,
        activity_type text        NOT NULL,
        entity_type   text,
        entity_id     text,
        source        text        NOT NULL,
        metadata      jsonb       NOT NULL DEFAULT '{}',
        context       jsonb,
        -- The partition key must be in the key; the id alone identifies an event, so a redelivered
        -- event (same id, same time) conflicts and is skipped.
        CONSTRAINT activity_events_pkey PRIMARY KEY (id, occurred_at)
      ) PARTITION BY RANGE (occurred_at)`);
    // A user's timeline, newest first, keyset-paginated on (occurred_at, id).
    await queryRunner.query(
      `CREATE INDEX activity_events_actor_timeline_idx ON activity_events (actor_id, occurred_at DESC, id DESC)`,
    );
    // Admin search without a more selective filter: time order across users.
    await queryRunner.query(
      `CREATE INDEX activity_events_time_idx ON activity_events (occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX activity_events_type_idx ON activity_events (activity_type, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX activity_events_entity_idx ON activity_events (entity_type, entity_id, occurred_at DESC, id DESC)
       WHERE entity_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE activity_erasures (
        request_id   uuid        PRIMARY KEY,
        user_id      text        NOT NULL,
        requested_at timestamptz NOT NULL,
        status       text        NOT NULL CHECK (status IN ('pending', 'completed')),
        rows_deleted bigint,
        received_at  timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX activity_erasures_user_idx ON activity_erasures (user_id, requested_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE activity_erasures`);
    await queryRunner.query(`DROP TABLE activity_events`);
  }
}
