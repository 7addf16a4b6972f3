import { Client } from 'pg';

/**
 * The group roles (NOLOGIN) that hold the events store's privileges, one per service that connects to
 * Postgres. Migrations grant to these; people and services log in as members of them, so that a login
 * can be rotated or added without touching a grant. A migration that adds a table grants on it to
 * these, e.g. `GRANT SELECT ON things TO ${SERVICE_ROLES.gateway}`.
 *
 * - ingest: owns `activity_events` (creating and dropping partitions needs the owner), writes and
 *   erases events, keeps `activity_erasures`.
 * - gateway: reads events; reads and records erasure requests; never updates or deletes an event.
 */
export const SERVICE_ROLES = { ingest: 'chronicle_ingest', gateway: 'chronicle_gateway' } as const;
export type ServiceName = keyof typeof SERVICE_ROLES;

/**
 * Creates the group roles that do not exist yet. Roles belong to the whole server, not to one
 * database, so another database's migration (tests make many, at once) may create them at the same
 * moment: a duplicate is fine. A migrator that is not a superuser (CREATEROLE) makes itself a member
 * with the role's privileges: Postgres requires it to hand a table to the role, and later migrations
 * alter those tables. (Creating a role gives it ADMIN on it only, which is neither since Postgres 16.)
 */
export const CREATE_SERVICE_ROLES_SQL = `
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY[${Object.values(SERVICE_ROLES).map(sqlLiteral).join(', ')}] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role(current_user, role_name, 'USAGE') THEN
      EXECUTE format('GRANT %I TO %I', role_name, current_user);
    END IF;
  END LOOP;
END $$`;

/**
 * The logins of a local run (`npm start`, the tests, docker-compose.yml): well-known passwords, for a
 * server that holds nothing but test data. A deployment makes its own logins (docs/ingest-worker.md,
 * "Postgres roles").
 */
export const LOCAL_SERVICE_LOGINS: Record<ServiceName, { user: string; password: string }> = {
  ingest: { user: 'chronicle_ingest_worker', password: 'chronicle-ingest-local' },
  gateway: { user: 'chronicle_gateway_api', password: 'chronicle-gateway-local' },
};

/**
 * Makes sure the local logins exist, each a member of its group role (created first if need be, so
 * that this works before or after the migrations). `adminUrl` is a superuser's or a CREATEROLE role's,
 * on any database of the server. Safe to run concurrently: a login made meanwhile is left as it is.
 */
export async function ensureLocalServiceLogins(adminUrl: string): Promise<void> {
  const logins = (Object.keys(SERVICE_ROLES) as ServiceName[]).map(
    (service) =>
      `(${sqlLiteral(LOCAL_SERVICE_LOGINS[service].user)}, ${sqlLiteral(LOCAL_SERVICE_LOGINS[service].password)}, ${sqlLiteral(SERVICE_ROLES[service])})`,
  );
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(CREATE_SERVICE_ROLES_SQL);
    await client.query(`
      DO $$
      DECLARE
        login record;
      BEGIN
        FOR login IN SELECT * FROM (VALUES ${logins.join(', ')}) AS l(name, password, member_of) LOOP
          IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login.name) THEN
            BEGIN
              EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', login.name, login.password, login.member_of);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
              NULL;
            END;
          END IF;
          IF NOT pg_has_role(login.name, login.member_of, 'USAGE') THEN
            EXECUTE format('GRANT %I TO %I', login.member_of, login.name);
          END IF;
        END LOOP;
      END $$`);
  } finally {
    await client.end();
  }
}

/** `databaseUrl` (same server, database and options) with the service's local login instead of its user. */
export function localServiceDatabaseUrl(databaseUrl: string, service: ServiceName): string {
  const url = new URL(databaseUrl);
  // Without a host (a Unix socket given as ?host=…) a URL cannot carry a user: say so rather than drop it.
  if (!url.host) throw new Error(`cannot put a login into ${url.protocol}// URL without a host`);
  url.username = encodeURIComponent(LOCAL_SERVICE_LOGINS[service].user);
  url.password = encodeURIComponent(LOCAL_SERVICE_LOGINS[service].password);
  return url.toString();
}

function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
