import { isWellFormedText } from '@chronicle/contracts';

/** C0 controls and DEL: no id, filter or claim has one, and Postgres refuses NUL outright. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Whether a value from a request (a parameter, a header, a token claim) is plain text: well-formed
 * Unicode (no unpaired surrogate, which cannot be encoded for a store) and no control character.
 * Checked at the edge, so that such a value is a 400 or 401 naming it, not a store error and a 500.
 */
export function isPlainText(value: string): boolean {
  return !CONTROL_CHARACTER.test(value) && isWellFormedText(value);
}
