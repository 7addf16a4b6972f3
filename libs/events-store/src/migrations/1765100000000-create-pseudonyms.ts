import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SERVICE_ROLES } from '../service-roles';

/**
 * The pseudonym → person table (see pseudonyms.ts): what lets "most active users" name users while
 * ClickHouse holds pseudonyms only. Rows follow the events' retention (last_seen) and erasure.
 */
export class CreatePseudonyms1765100000000 implements MigrationInterface {
  name = 'CreatePseudonyms1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pseudonyms (
        key          text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
        subject_type text NOT NULL,
        subject_id   text NOT NULL,
        -- The UTC day of the newest event naming the subject: retention forgets it with the events.
        last_seen    date NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX pseudonyms_subject_idx ON pseudonyms (subject_type, subject_id)`);
    await queryRunner.query(`CREATE INDEX pseudonyms_last_seen_idx ON pseudonyms (last_seen)`);
    // The ingest worker keeps it (writes, erasure, retention); the gateway only resolves keys.
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON pseudonyms TO ${SERVICE_ROLES.ingest}`);
    await queryRunner.query(`GRANT SELECT ON pseudonyms TO ${SERVICE_ROLES.gateway}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pseudonyms`);
  }
}
