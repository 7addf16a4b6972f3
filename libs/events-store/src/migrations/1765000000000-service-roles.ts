import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_SERVICE_ROLES_SQL, SERVICE_ROLES } from '../service-roles';

const { ingest, gateway } = SERVICE_ROLES;

/**
 * A role per service, so that the audit trail cannot be changed from the gateway: the ingest worker's
 * role owns the events (partition DDL, erasure, retention), the gateway's may read them and record
 * erasure requests, nothing more. The grants are written out here rather than shared, so that this
 * migration keeps doing what it did when a later one changes them.
 */
export class ServiceRoles1765000000000 implements MigrationInterface {
  name = 'ServiceRoles1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE_SERVICE_ROLES_SQL);
    const schema = await currentSchema(queryRunner);
    await queryRunner.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${ingest}`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${gateway}`);
    // Creating or dropping a partition takes the partitioned table's owner; the partitions made so far
    // are handed over with it (ensureDailyPartitions gives new ones the same owner). After CREATE on
    // the schema, which a new owner must have.
    await ownActivityEvents(queryRunner, ingest);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON activity_erasures TO ${ingest}`);
    // recordRequest: INSERT … ON CONFLICT DO NOTHING, then SELECT; status: SELECT.
    await queryRunner.query(`GRANT SELECT, INSERT ON activity_erasures TO ${gateway}`);
    await queryRunner.query(`GRANT SELECT ON activity_events TO ${gateway}`);
    // The services check at start that no migration is pending.
    await queryRunner.query(`GRANT SELECT ON ${migrationsTable(queryRunner)} TO ${ingest}, ${gateway}`);
  }

  /**
   * Takes the grants back and returns the events to the migrating role. The roles stay: they belong
   * to the whole server, and another database on it may still grant to them (DROP ROLE would fail).
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON ${migrationsTable(queryRunner)} FROM ${ingest}, ${gateway}`);
    await queryRunner.query(`REVOKE ALL ON activity_events FROM ${gateway}`);
    await queryRunner.query(`REVOKE ALL ON activity_erasures FROM ${ingest}, ${gateway}`);
    await ownActivityEvents(queryRunner, 'CURRENT_USER');
    await queryRunner.query(
      `REVOKE ALL ON SCHEMA ${await currentSchema(queryRunner)} FROM ${ingest}, ${gateway}`,
    );
  }
}

/** `owner` is a role name or CURRENT_USER. ALTER TABLE … OWNER does not reach a table's partitions. */
async function ownActivityEvents(queryRunner: QueryRunner, owner: string): Promise<void> {
  await queryRunner.query(`
    DO $$
    DECLARE
      part regclass;
    BEGIN
      ALTER TABLE activity_events OWNER TO ${owner};
      FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'activity_events'::regclass LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO ${owner}', part);
      END LOOP;
    END $$`);
}

/** The schema the tables are in (`public` unless the connection says otherwise), quoted. */
async function currentSchema(queryRunner: QueryRunner): Promise<string> {
  const rows: { schema: string }[] = await queryRunner.query(
    'SELECT quote_ident(current_schema()) AS schema',
  );
  return rows[0]?.schema ?? 'public';
}

function migrationsTable(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.migrationsTableName ?? 'migrations';
}
