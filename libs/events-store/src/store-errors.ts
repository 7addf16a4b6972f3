/*
 * (The kinds are @chronicle/kafka's StoreFailureKind, which acts on them; a store library names them
 * without depending on the Kafka library.)
 *
 * What a failed write to Postgres means for the records in it, by SQLSTATE class
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html):
 * - the records (deterministic): 22 data exception (bad value, too long, untranslatable character),
 *   23 integrity constraint (a unique violation the duplicate check should have caught, a check or
 *   not-null constraint), 54 program limit (row or index entry too big);
 * - the store (transient): 08 connection, 40 serialization failure and deadlock, 53 insufficient
 *   resources, 57 operator intervention (shutdown, statement timeout, cancel), 58 system error,
 *   55P03 lock not available, 25P03 idle-in-transaction timeout; and the setup, which no record
 *   fixes: 28 authorisation, 3D000 missing database, 42501 missing privilege, 42P01 missing table
 *   (migrations not applied), 42703 missing column;
 * - a Node error without a SQLSTATE (refused, reset, "Connection terminated", pool timeouts): the
 *   connection, transient;
 * - anything else (an internal error, a code not listed): unknown.
 * A missing partition (23514, "no partition … found for row") is transient: the writer creates the
 * partition on its next attempt.
 */

const DETERMINISTIC_CLASSES = new Set(['22', '23', '54']);
const TRANSIENT_CLASSES = new Set(['08', '28', '40', '53', '57', '58']);
const TRANSIENT_CODES = new Set(['55P03', '25P03', '3D000', '42501', '42P01', '42703']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

export function classifyStoreError(error: unknown): 'transient' | 'deterministic' | 'unknown' {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SQLSTATE.test(code)) return 'transient';
  if (isMissingPartition(error)) return 'transient';
  if (TRANSIENT_CODES.has(code) || TRANSIENT_CLASSES.has(code.slice(0, 2))) return 'transient';
  if (DETERMINISTIC_CLASSES.has(code.slice(0, 2))) return 'deterministic';
  return 'unknown';
}

/** A row timed on a day that has no partition (dropped by retention, or not made yet). */
export function isMissingPartition(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '23514' && /no partition/i.test(String(message));
}

/** A statement Postgres cancelled (57014): here, one that outran its statement_timeout. */
export function isStatementCancelled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '57014';
}
