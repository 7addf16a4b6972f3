/** What a database or cluster name may look like: plain ASCII, so that it never needs escaping anywhere. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Throws unless `database` is a plain identifier (letters, digits, underscores; at most 64). */
export function checkDatabaseName(database: unknown, parameter = 'database'): string {
  return checkIdentifier(database, parameter, 'a database name');
}

/** Throws unless `cluster` (a cluster of the servers' remote_servers) is a plain identifier, like a database name. */
export function checkClusterName(cluster: unknown, parameter = 'cluster'): string {
  return checkIdentifier(cluster, parameter, 'a cluster name');
}

function checkIdentifier(value: unknown, parameter: string, what: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new TypeError(
      `${parameter} must be ${what} of letters, digits and underscores (at most 64, not starting with a digit), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
