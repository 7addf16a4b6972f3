/*
 * CloudEvents' `source` is a URI-reference (RFC 3986 §4.1): an absolute URI (`urn:chronicle:gateway`,
 * `https://example.com/app`) or a relative reference (`/services/app-catalog`). Checked here: only URI
 * characters, well-formed percent-encoding, and a colon before the first `/`, `?` or `#` only after a
 * valid scheme (a relative reference's first segment cannot contain one). Capped in length because it
 * travels in a header of every record.
 */
export const MAX_SOURCE_LENGTH = 256;

const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const BAD_PERCENT_ENCODING = /%(?![0-9A-Fa-f]{2})/;
const FIRST_DELIMITER = /[:/?#]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;

/**
 * The last value found valid: a producer sends one source over and over (the SDK, its client's), so a
 * string comparison usually replaces the regular expressions. Empty (never valid) until then.
 */
let lastValid = '';

/** Whether `value` is a non-empty RFC 3986 URI-reference of at most MAX_SOURCE_LENGTH characters. */
export function isUriReference(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SOURCE_LENGTH) return false;
  if (value === lastValid) return true;
  if (!URI_CHARACTERS.test(value) || BAD_PERCENT_ENCODING.test(value)) return false;
  const delimiter = FIRST_DELIMITER.exec(value);
  if (delimiter !== null && delimiter[0] === ':' && !SCHEME.test(value.slice(0, delimiter.index)))
    return false;
  lastValid = value;
  return true;
}
