import { isIPv6 } from 'node:net';

/*
 * Heuristics that spot personal data in free-form strings of metadata and context. They err on the side
 * of flagging (a false positive costs a producer a rename; a false negative puts PII in two stores and
 * every backup), but each has guards against the common look-alikes, listed beside it. Every pattern is
 * linear in the string's length, since the input is untrusted.
 */

export type PiiKind = 'email' | 'payment-card' | 'ip-address' | 'phone';

export const PII_KIND_LABELS: Readonly<Record<PiiKind, string>> = {
  email: 'an e-mail address',
  'payment-card': 'a payment card number',
  'ip-address': 'an IP address',
  phone: 'a phone number',
};

const CODE_0 = 48;
const CODE_9 = 57;

/** What one pass over a string found; filled by `survey` (synchronous, so one scratch object suffices). */
const survey = { digits: 0, colons: 0, hasAt: false, hasDot: false, wellFormed: true };

/** One pass that decides which (costlier) checks can possibly match; most values skip all of them. */
function surveyText(value: string): void {
  let digits = 0;
  let colons = 0;
  let hasAt = false;
  let hasDot = false;
  let wellFormed = true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= CODE_0 && c <= CODE_9) digits++;
    else if (c === 64 /* @ */) hasAt = true;
    else if (c === 58 /* : */) colons++;
    else if (c === 46 /* . */) hasDot = true;
    else if (c === 0) wellFormed = false;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate must be followed by a low one; a low one on its own is unpaired.
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else wellFormed = false;
    }
  }
  survey.digits = digits;
  survey.colons = colons;
  survey.hasAt = hasAt;
  survey.hasDot = hasDot;
  survey.wellFormed = wellFormed;
}

/**
 * Whether `value` can be stored and sent everywhere an event goes: no unpaired surrogate (UTF-8, and so
 * Kafka headers, cannot encode one) and no NUL (Postgres text and jsonb refuse it).
 */
export function isWellFormedText(value: string): boolean {
  surveyText(value);
  return survey.wellFormed;
}

/**
 * The first kind of personal data `value` appears to contain (e-mail, payment card, IP address, phone, in
 * that order), or undefined. `key` is the property the value sits under: values under version keys
 * (`version`, `appVersion`, `clientVersion`, any `…Version`) that have the shape of a version are not
 * read as IPv4 addresses or phone numbers, since `1.2.3.4` is a fine version and the key is the only way
 * to tell the two apart.
 */
export function detectPii(value: string, key?: string): PiiKind | undefined {
  surveyText(value);
  return piiFromSurvey(value, key);
}

/**
 * @internal For the validator: 'ill-formed' (see isWellFormedText) or detectPii's answer, in one pass.
 */
export function inspectText(value: string, key: string): PiiKind | 'ill-formed' | undefined {
  surveyText(value);
  return survey.wellFormed ? piiFromSurvey(value, key) : 'ill-formed';
}

function piiFromSurvey(value: string, key: string | undefined): PiiKind | undefined {
  const { digits, colons, hasAt, hasDot } = survey;
  if (hasAt && containsEmail(value)) return 'email';
  if (digits >= 13 && containsPaymentCard(value)) return 'payment-card';
  if (colons >= 2 && containsIpv6(value)) return 'ip-address';
  const mayBeIpv4 = hasDot && digits >= 4;
  const mayBePhone = digits >= 8;
  if (!mayBeIpv4 && !mayBePhone) return undefined;
  const versionLike = key !== undefined && isVersionKey(key) && VERSION_VALUE.test(value);
  if (versionLike) return undefined;
  if (mayBeIpv4 && containsIpv4(value)) return 'ip-address';
  if (mayBePhone && containsPhone(value)) return 'phone';
  return undefined;
}

const VERSION_VALUE = /^v?[0-9]{1,9}(?:\.[0-9]{1,9}){1,3}(?:[-+][0-9A-Za-z.-]{1,64})?$/;

/** `version`, or camelCase ending in `Version` (`appVersion`, `clientVersion`, `osVersion`). */
function isVersionKey(key: string): boolean {
  if (key === 'version') return true;
  const first = key.charCodeAt(0);
  return key.length > 7 && key.endsWith('Version') && first >= 97 && first <= 122;
}

// ── E-mail ─────────────────────────────────────────────────────────────────────────────────────────
// A local part (any characters RFC 5322 allows unquoted, Unicode letters included) before the `@`, a
// domain with at least one dot and an alphabetic TLD of two or more letters after it. Not e-mail:
// `@handle`, `@scope/package`, `user@localhost`, `a@b.c`. Only the character before each `@` and at most
// 255 after it (RFC 5321's domain limit) are read, which keeps the scan linear.
const LOCAL_PART_CHAR = /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]/u;
const DOMAIN_START = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,63}(?![\p{L}\p{N}-])/u;

/** Whether `value` contains something shaped like an e-mail address. */
export function containsEmail(value: string): boolean {
  let at = value.indexOf('@');
  while (at !== -1) {
    if (
      at > 0 &&
      LOCAL_PART_CHAR.test(value.charAt(at - 1)) &&
      DOMAIN_START.test(value.slice(at + 1, at + 256))
    )
      return true;
    at = value.indexOf('@', at + 1);
  }
  return false;
}

// ── Payment card ───────────────────────────────────────────────────────────────────────────────────
// 13–19 digits, optionally grouped by spaces or dashes, passing the Luhn check, and starting with 2–6:
// the major industry identifiers of card networks (Visa 4, Mastercard 2 and 5, Amex/Diners/JCB 3,
// Discover/UnionPay 6). The prefix rule spares millisecond timestamps (`17…`) and most numeric ids,
// which would otherwise be flagged one time in ten by Luhn alone. Digits glued to a longer token
// (`ab-4111…`, `4111…-x1`) are part of an identifier, and digits after a `+` a phone number, not a card.
const CARD_CANDIDATE = /(?<![0-9A-Za-z_+])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z_]|[ -]?[0-9])/g;

/** Whether `value` contains a Luhn-valid payment card number. */
function containsPaymentCard(value: string): boolean {
  CARD_CANDIDATE.lastIndex = 0;
  for (let m = CARD_CANDIDATE.exec(value); m !== null; m = CARD_CANDIDATE.exec(value)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isGlued(value, start, end)) continue;
    const first = m[0].charCodeAt(0);
    if (first < 50 /* 2 */ || first > 54 /* 6 */) continue;
    if (luhnValid(m[0])) return true;
  }
  return false;
}

/** Luhn checksum over the digits of `value` (other characters are skipped). */
export function luhnValid(value: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c < CODE_0 || c > CODE_9) continue;
    let d = c - CODE_0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// ── IP addresses ───────────────────────────────────────────────────────────────────────────────────
// IPv4: four dotted decimal octets 0–255 without leading zeros, not inside a longer dotted or alphanumeric
// token (`v1.2.3.4`, `1.2.3.4.5` and `2.10.3.04` are not addresses). Versions under version keys are
// exempt (see detectPii). A version in free text (`release 1.2.3.4`) is flagged: a known false positive.
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = new RegExp(`(?<![0-9A-Za-z_.])${OCTET}(?:\\.${OCTET}){3}(?![0-9A-Za-z_]|\\.[0-9])`);

/** Whether `value` contains a dotted-quad IPv4 address. */
function containsIpv4(value: string): boolean {
  return IPV4.test(value);
}

// IPv6: tokens of hex digits, colons and dots (and an optional `%zone`) with at least two colons, checked
// by Node's own parser. Times (`01:53:46`), MAC addresses and `std::vector` are not IPv6 addresses.
const IPV6_TOKEN = /[0-9A-Za-z:.%_-]+/g;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/** Whether `value` contains an IPv6 address. */
function containsIpv6(value: string): boolean {
  IPV6_TOKEN.lastIndex = 0;
  for (let m = IPV6_TOKEN.exec(value); m !== null; m = IPV6_TOKEN.exec(value)) {
    let token = m[0];
    if (token.length < 2 || token.length > 80 || token.indexOf(':') === token.lastIndexOf(':')) continue;
    const zone = token.indexOf('%');
    if (zone !== -1) token = token.slice(0, zone);
    while (token.endsWith('.')) token = token.slice(0, -1);
    if (IPV6_CHARS.test(token) && isIPv6(token)) return true;
  }
  return false;
}

// ── Phone numbers ──────────────────────────────────────────────────────────────────────────────────
// International form: `+` and 8–15 digits (E.164), grouped or not. National form: 9–15 digits in at least
// three groups (`555-123-4567`, `06 12 34 56 78`) or two with a bracketed area code (`(030) 1234567`).
// Ungrouped digit runs without `+` are not flagged: they are indistinguishable from numeric ids. Not
// phones: dates and timestamps (`2026-11-22 01:53`), versions, decimals (`3.14159265`), digit runs that
// are part of a longer token such as a UUID's all-digit groups.
const PHONE_CANDIDATE = /(?<![0-9A-Za-z_+(])(?:\+|\()?[0-9][0-9 ().-]*[0-9]/g;
const DATE_START =
  /^(?:[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{4})(?![0-9])/;
const PHONE_SEPARATORS = /^(?:[ .-]|\) ?|[ .-]?\()$/;

/** Whether `value` contains something shaped like a phone number. */
function containsPhone(value: string): boolean {
  PHONE_CANDIDATE.lastIndex = 0;
  for (let m = PHONE_CANDIDATE.exec(value); m !== null; m = PHONE_CANDIDATE.exec(value)) {
    const start = m.index;
    const end = start + m[0].length;
    if (/[0-9A-Za-z_]/.test(value.charAt(end))) continue;
    if (isGlued(value, start, end)) continue;
    if (looksLikePhone(m[0])) return true;
  }
  return false;
}

function looksLikePhone(candidate: string): boolean {
  const international = candidate.charCodeAt(0) === 43; /* + */
  const groups = candidate.split(/[^0-9]+/).filter((g) => g.length > 0);
  let digits = 0;
  for (const g of groups) digits += g.length;
  if (digits > 15 || digits < (international ? 8 : 9)) return false;
  const separators = candidate.slice(international ? 1 : 0).match(/[^0-9]+/g) ?? [];
  if (!separators.every((s) => PHONE_SEPARATORS.test(s))) return false;
  const opens = candidate.split('(').length - 1;
  const closes = candidate.split(')').length - 1;
  if (opens > 1 || opens !== closes) return false;
  const bracketedAreaCode = opens === 1 && /\([0-9]{1,5}\)/.test(candidate);
  if (opens === 1 && !bracketedAreaCode) return false;
  if (international) return true;
  if (DATE_START.test(candidate)) return false;
  if (groups.length < 3 && !(groups.length === 2 && bracketedAreaCode)) return false;
  // After the first (a country or trunk prefix may be a single digit), groups have two digits or more.
  return groups.every((g, i) => i === 0 || g.length >= 2);
}

/**
 * Whether the match [start, end) is glued by a `-` or `.` to letters or digits on either side, i.e. part
 * of a longer identifier such as `a1b2c3d4-1234-5678-9012-ab12…`.
 */
function isGlued(value: string, start: number, end: number): boolean {
  const before = value.charAt(start - 1);
  if ((before === '-' || before === '.') && /[0-9A-Za-z_]/.test(value.charAt(start - 2))) return true;
  const after = value.charAt(end);
  return (after === '-' || after === '.') && /[0-9A-Za-z_]/.test(value.charAt(end + 1));
}
