import type { ActivityEvent } from './activity-event.types';
import { formatEventTime, parseRfc3339 } from './rfc3339.util';

/*
 * One event can be written many ways that the contract accepts as the same: the id in upper or lower
 * case (RFC 9562 UUIDs compare case-insensitively), the time with any offset or fraction length, the
 * source with an upper-case scheme or percent-escape, either Kafka binding. Everything downstream compares,
 * stores and keys on one form, made here once, so that a redelivery in another spelling is recognised
 * as the same event (a raw-string comparison once let an upper-case id stall a partition for good).
 *
 * The canonical form:
 * - `id`: lower case;
 * - `time`: UTC with exactly three fraction digits (`2026-11-22T01:53:46.123Z`), the precision both
 *   stores keep; finer fractions are truncated, as parseRfc3339 does;
 * - `source`: RFC 3986 §6.2.2.1 case normalisation: scheme in lower case, percent-escapes in upper case;
 * - `type`, actor, entity, metadata, context: as given (the catalog's names and ids are case-sensitive).
 */

/**
 * The canonical form of a valid event (see above). Returns `event` itself when it is already
 * canonical, so the common case (Chronicle's own producers) costs no copy.
 */
export function toCanonicalEvent(event: ActivityEvent): ActivityEvent {
  const id = event.id.toLowerCase();
  const time = canonicalEventTime(event.time) ?? event.time;
  const source = canonicalSource(event.source);
  if (id === event.id && time === event.time && source === event.source) return event;
  return { ...event, id, time, source };
}

/** `time` as UTC with milliseconds, or undefined when it is not an RFC 3339 timestamp. */
export function canonicalEventTime(time: string): string | undefined {
  const ms = parseRfc3339(time);
  return ms === undefined ? undefined : formatEventTime(ms);
}

const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;

/** A URI-reference with its scheme in lower case and its percent-escapes in upper case. */
export function canonicalSource(source: string): string {
  let canonical = source;
  const scheme = SCHEME_PREFIX.exec(canonical);
  if (scheme !== null && scheme[0] !== scheme[0].toLowerCase())
    canonical = scheme[0].toLowerCase() + canonical.slice(scheme[0].length);
  if (canonical.includes('%'))
    canonical = canonical.replace(PERCENT_ESCAPE, (escape) => escape.toUpperCase());
  return canonical;
}
