import { isWellFormedText } from '@chronicle/contracts';

/**
 * Whether a value from a request (a parameter, a header, a token claim) is plain text: well-formed
 * Unicode (no unpaired surrogate, which cannot be encoded for a store) and no control character (C0
 * or DEL: no id, filter or claim has one, and Postgres refuses NUL outright). Checked at the edge, so
 * that such a value is a 400 or 401 naming it, not a store error and a 500.
 */
export function isPlainText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return false;
  }
  return isWellFormedText(value);
}
