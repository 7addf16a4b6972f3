/** What a database name may look like: plain ASCII, so that it never needs escaping anywhere. */
const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Throws unless `database` is a plain identifier (letters, digits, underscores; at most 64). */
export function checkDatabaseName(database: unknown, parameter = 'database'): string {
  if (typeof database !== 'string' || !DATABASE_NAME.test(database)) {
    throw new TypeError(
      `${parameter} must be a database name of letters, digits and underscores (at most 64, not starting with a digit), got ${JSON.stringify(database)}`,
    );
  }
  return database;
}
