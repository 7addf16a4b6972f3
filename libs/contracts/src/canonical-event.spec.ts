import fc from 'fast-check';
import type { ActivityEvent } from './activity-event.types';
import { canonicalEventTime, canonicalSource, toCanonicalEvent } from './canonical-event';
import { getDefaultActivityCatalog } from './catalog/activity-catalog';
import { decodeActivityEvent, encodeBinary, encodeStructured } from './kafka/kafka-binding.codec';
import { parseRfc3339 } from './rfc3339.util';
import { validEventArbitrary } from './testing/activity-event.arbitrary';
import { validateActivityEvent } from './validation/validate-activity-event';

const catalog = getDefaultActivityCatalog();
const example = catalog.get('app.viewed')?.example as ActivityEvent;

describe('toCanonicalEvent', () => {
  it('lower-cases the id, writes the time in UTC with milliseconds and normalises the source', () => {
    const event: ActivityEvent = {
      ...example,
      id: example.id.toUpperCase(),
      time: '2026-11-22t03:53:46.1239+02:00',
      source: 'URN:Chronicle:%c3%a9',
    };
    expect(toCanonicalEvent(event)).toEqual({
      ...example,
      id: example.id.toLowerCase(),
      time: '2026-11-22T01:53:46.123Z',
      source: 'urn:Chronicle:%C3%A9',
    });
  });

  it('returns the event itself when it is canonical already', () => {
    expect(toCanonicalEvent(example)).toBe(example);
  });

  it('leaves the type, the actor, the entity and the metadata as they are (they are case-sensitive)', () => {
    const event: ActivityEvent = {
      ...example,
      id: example.id.toUpperCase(),
      data: {
        ...example.data,
        actor: { type: 'user', id: 'U_Mixed' },
        entity: { type: 'app', id: 'App_42' },
      },
    };
    expect(toCanonicalEvent(event).data).toBe(event.data);
  });
});

describe('canonicalEventTime', () => {
  it.each([
    ['2026-11-22T01:53:46Z', '2026-11-22T01:53:46.000Z'],
    ['2026-11-22T01:53:46.1Z', '2026-11-22T01:53:46.100Z'],
    ['2026-11-22T01:53:46.123456789z', '2026-11-22T01:53:46.123Z'],
    ['2026-11-21T20:23:46.123-05:30', '2026-11-22T01:53:46.123Z'],
  ])('%s → %s', (time, canonical) => {
    expect(canonicalEventTime(time)).toBe(canonical);
  });

  it('is undefined for what is not RFC 3339', () => {
    expect(canonicalEventTime('yesterday')).toBeUndefined();
  });
});

describe('canonicalSource', () => {
  it.each([
    ['/services/app-catalog', '/services/app-catalog'],
    ['HTTPS://example.com/a%2fb', 'https://example.com/a%2Fb'],
    ['/path/with:colon%aa', '/path/with:colon%AA'],
  ])('%s → %s', (source, canonical) => {
    expect(canonicalSource(source)).toBe(canonical);
  });
});

/** The same instant written another way RFC 3339 allows: another offset, more fraction digits, t/z in lower case. */
function respellTime(time: string): fc.Arbitrary<string> {
  const ms = parseRfc3339(time) as number;
  return fc
    .record({
      offsetMinutes: fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
      extraDigits: fc.stringMatching(/^[0-9]{0,6}$/),
      dropZeroFraction: fc.boolean(),
      t: fc.constantFrom('T', 't'),
      zulu: fc.constantFrom('Z', 'z'),
    })
    .map(({ offsetMinutes, extraDigits, dropZeroFraction, t, zulu }) => {
      const localIso = new Date(ms + offsetMinutes * 60_000).toISOString();
      // Near year 0000 or 9999 another offset would need a five-digit year: stay in UTC there.
      const offset = /^\d{4}-/.test(localIso) ? offsetMinutes : 0;
      const local = new Date(ms + offset * 60_000).toISOString();
      const millis = local.slice(20, 23);
      const fraction = millis === '000' && dropZeroFraction ? '' : `.${millis}${extraDigits}`;
      const abs = Math.abs(offset);
      const zone =
        offset === 0
          ? zulu
          : `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      return `${local.slice(0, 10)}${t}${local.slice(11, 19)}${fraction}${zone}`;
    });
}

const randomCase = (text: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

/** Another spelling of the source: the scheme and the percent-escapes in another case. */
function respellSource(source: string): fc.Arbitrary<string> {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(source)?.[0] ?? '';
  return fc
    .tuple(randomCase(scheme), fc.boolean())
    .map(([respelled, upperEscapes]) =>
      (respelled + source.slice(scheme.length)).replace(/%[0-9A-Fa-f]{2}/g, (escape) =>
        upperEscapes ? escape.toUpperCase() : escape.toLowerCase(),
      ),
    );
}

describe('one event, many spellings', () => {
  it('decodes every spelling the contract accepts as the same event to the same canonical event', () => {
    const spellings = validEventArbitrary(catalog).chain((event) =>
      fc.record({
        event: fc.constant(event),
        id: randomCase(event.id),
        time: respellTime(event.time),
        source: respellSource(event.source),
        binding: fc.constantFrom(encodeBinary, encodeStructured),
        originalBinding: fc.constantFrom(encodeBinary, encodeStructured),
      }),
    );
    fc.assert(
      fc.property(spellings, ({ event, id, time, source, binding, originalBinding }) => {
        const respelled: ActivityEvent = { ...event, id, time, source };
        // The contract accepts the other spelling as it accepts the original.
        expect(validateActivityEvent(respelled, catalog).ok).toBe(true);
        const original = decodeActivityEvent(originalBinding(event), catalog);
        const other = decodeActivityEvent(binding(respelled), catalog);
        expect(other).toMatchObject({ ok: true });
        expect(original).toMatchObject({ ok: true });
        if (!original.ok || !other.ok) return;
        expect(other.event).toEqual(original.event);
        expect(other.event.id).toBe(event.id.toLowerCase());
        expect(other.event.time).toBe(canonicalEventTime(event.time));
      }),
      { numRuns: 1_000 },
    );
  });
});
