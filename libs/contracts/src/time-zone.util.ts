/**
 * Whether this runtime's time zone database knows `name` (an IANA name or alias such as
 * `Europe/Berlin`, `Asia/Calcutta`, `UTC`), as Intl resolves it: the one check of a zone that the
 * analytics queries and the configuration share.
 */
export function isTimeZoneName(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
