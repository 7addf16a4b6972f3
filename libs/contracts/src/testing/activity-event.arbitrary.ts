// fast-check arbitraries for the specs: valid events of any catalog type, and nasty inputs. Not exported
// from the library's index (fast-check is a dev dependency).
import fc from 'fast-check';
import type { ActivityContext, ActivityEvent, ActivityMetadata, EntityRef } from '../activity-event.types';
import type { ActivityCatalog } from '../catalog/activity-catalog';
import type {
  ActivityTypeInfo,
  ArrayFieldSchema,
  MetadataFieldSchema,
} from '../catalog/activity-type-definition.types';
import { CONTEXT_KEYS } from '../validation/activity-event.validator';
import { validateActivityEvent } from '../validation/validate-activity-event';
import { formatUuidV7 } from '../uuid-v7.util';

type ItemSchema = ArrayFieldSchema['items'];

/** Text of any script: ASCII, or any grapheme (emoji, CJK, combining marks). */
const anyText = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(fc.string({ minLength, maxLength }), fc.string({ minLength, maxLength, unit: 'grapheme' }))
    .filter((s) => s.length >= minLength && s.length <= maxLength);

function valueArbitrary(field: MetadataFieldSchema | ItemSchema): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'string': {
      if (field.enum !== undefined) return fc.constantFrom(...field.enum);
      const min = field.minLength ?? 0;
      const max = field.maxLength ?? 1024;
      if (field.pattern !== undefined) {
        return fc
          .stringMatching(new RegExp(field.pattern, 'u'))
          .filter((s) => s.length >= min && s.length <= max);
      }
      return anyText(min, max);
    }
    case 'integer':
      return fc.integer({
        min: field.minimum ?? Number.MIN_SAFE_INTEGER,
        max: field.maximum ?? Number.MAX_SAFE_INTEGER,
      });
    case 'number':
      // JSON has no -0 (JSON.stringify writes 0), so the arbitrary does not make one.
      return fc
        .double({
          min: field.minimum ?? -1e300,
          max: field.maximum ?? 1e300,
          noNaN: true,
          noDefaultInfinity: true,
        })
        .map((n) => (n === 0 ? 0 : n));
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const constraints = { minLength: field.minItems ?? 0, maxLength: field.maxItems };
      const items = valueArbitrary(field.items);
      return field.uniqueItems === true ? fc.uniqueArray(items, constraints) : fc.array(items, constraints);
    }
  }
}

export function metadataArbitrary(definition: ActivityTypeInfo): fc.Arbitrary<ActivityMetadata> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, field] of Object.entries(definition.metadataSchema.properties))
    model[key] = valueArbitrary(field);
  return fc.record(model, {
    requiredKeys: [...(definition.metadataSchema.required ?? [])],
  }) as fc.Arbitrary<ActivityMetadata>;
}

/** RFC 3339 timestamps in every allowed form: any offset, any fraction length, `t`/`z` in either case. */
export const rfc3339Arbitrary: fc.Arbitrary<string> = fc
  .record({
    // A day inside 0000–9999 on both ends, so that the local time of any offset has a four-digit year.
    ms: fc.integer({ min: Date.parse('0000-01-02T00:00:00Z'), max: Date.parse('9999-12-30T23:59:59Z') }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.[0-9]{1,9}$/)),
    offsetMinutes: fc.oneof(fc.constant(0), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 })),
    zulu: fc.constantFrom('Z', 'z'),
    t: fc.constantFrom('T', 't'),
  })
  .map(({ ms, fraction, offsetMinutes, zulu, t }) => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', t);
    if (offsetMinutes === 0) return `${local}${fraction}${zulu}`;
    const abs = Math.abs(offsetMinutes);
    const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local}${fraction}${offsetMinutes < 0 ? '-' : '+'}${hhmm}`;
  });

export const uuidV7Arbitrary: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: 2 ** 48 - 1 }),
    fc.integer({ min: 0, max: 2 ** 42 - 1 }),
    fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  )
  .map(([ms, counter, tail]) => formatUuidV7(ms, counter, tail));

/** An event id: the SDK's UUIDv7, or any RFC 9562 version another language's library makes. */
const eventIdArbitrary: fc.Arbitrary<string> = fc.oneof(uuidV7Arbitrary, fc.uuid());

const sourceArbitrary = fc.oneof(
  fc.constantFrom('/services/app-catalog', '/services/downloads', 'urn:chronicle:simulator'),
  fc.stringMatching(/^\/[a-z0-9-]{1,20}(\/[a-z0-9._~-]{1,20}){0,4}$/),
  fc.webUrl().filter((url) => url.length <= 256),
);

const contextArbitrary: fc.Arbitrary<ActivityContext> = fc.record(
  Object.fromEntries(CONTEXT_KEYS.map((key) => [key, anyText(1, 128)])) as Record<
    keyof ActivityContext,
    fc.Arbitrary<string>
  >,
  { requiredKeys: [] },
);

function eventOfType(definition: ActivityTypeInfo): fc.Arbitrary<ActivityEvent> {
  const entity: fc.Arbitrary<EntityRef | undefined> =
    definition.entityType === undefined
      ? fc.constant(undefined)
      : anyText(1, 128).map((id) => ({ type: definition.entityType as string, id }));
  return fc
    .record({
      id: eventIdArbitrary,
      source: sourceArbitrary,
      time: rfc3339Arbitrary,
      actorType: fc.constantFrom(...definition.actorTypes),
      actorId: anyText(1, 128),
      entity,
      withSubject: fc.boolean(),
      metadata: metadataArbitrary(definition),
      context: fc.option(contextArbitrary, { nil: undefined }),
    })
    .map(({ id, source, time, actorType, actorId, entity, withSubject, metadata, context }) => {
      const event: ActivityEvent = {
        specversion: '1.0',
        id,
        source,
        type: definition.type,
        time,
        datacontenttype: 'application/json',
        data: { actor: { type: actorType, id: actorId }, metadata },
      };
      if (entity !== undefined) {
        event.data.entity = entity;
        if (withSubject) event.subject = `${entity.type}/${entity.id}`;
      }
      if (context !== undefined) event.data.context = context;
      return event;
    });
}

/**
 * Valid events of every type of `catalog`. Random text can, rarely, look like PII (a phone-shaped actor
 * id); such events are filtered out, which keeps the arbitrary honest: everything it yields validates.
 */
export function validEventArbitrary(catalog: ActivityCatalog): fc.Arbitrary<ActivityEvent> {
  // One arbitrary per type, built once: building them (regular expressions included) is the costly part.
  return fc
    .oneof(...catalog.definitions().map(eventOfType))
    .filter((event) => validateActivityEvent(event, catalog).ok);
}

/** Objects that break naive code: cycles, throwing getters and proxies, odd prototypes, exotic values. */
export function nastyInputs(): unknown[] {
  const cyclic: Record<string, unknown> = { specversion: '1.0' };
  cyclic['data'] = cyclic;
  const cyclicMetadata: Record<string, unknown> = {};
  cyclicMetadata['self'] = cyclicMetadata;
  cyclicMetadata['list'] = [cyclicMetadata];
  const throwingGetter = Object.defineProperty({}, 'id', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });
  const throwingData = {
    specversion: '1.0',
    data: Object.defineProperty({}, 'metadata', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    }),
  };
  const hostileProxy = new Proxy(
    {},
    {
      get: () => {
        throw new Error('get');
      },
      ownKeys: () => {
        throw new Error('ownKeys');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf');
      },
      has: () => {
        throw new Error('has');
      },
      getOwnPropertyDescriptor: () => {
        throw new Error('getOwnPropertyDescriptor');
      },
    },
  );
  const huge = 'x'.repeat(5_000_000);
  const hugeDigits = '4'.repeat(1_000_000);
  const withSymbol = { [Symbol('id')]: 'x', specversion: '1.0' };
  const nullProto = Object.assign(Object.create(null) as object, { specversion: '1.0', id: 'x' });
  const inherited = Object.create({
    specversion: '1.0',
    id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
  }) as object;
  const base = (data: unknown): Record<string, unknown> => ({
    specversion: '1.0',
    id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
    source: '/services/app-catalog',
    type: 'app.viewed',
    time: '2026-11-22T01:53:46.123Z',
    datacontenttype: 'application/json',
    data,
  });
  return [
    undefined,
    null,
    0,
    -0,
    NaN,
    10n,
    Symbol('event'),
    () => 1,
    'event',
    huge,
    [],
    new Date(0),
    new Map([['specversion', '1.0']]),
    cyclic,
    throwingGetter,
    throwingData,
    hostileProxy,
    withSymbol,
    nullProto,
    inherited,
    base(hostileProxy),
    base({ actor: hostileProxy, metadata: hostileProxy, entity: hostileProxy, context: hostileProxy }),
    base({
      actor: { type: 'user', id: huge },
      entity: { type: 'app', id: 'a' },
      metadata: { referrer: huge, huge, hugeDigits },
    }),
    base({
      actor: { type: 'user', id: 10n },
      entity: { type: 'app', id: 'a' },
      metadata: { referrer: 10n, position: 10n },
    }),
    base({
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
      metadata: cyclicMetadata,
      context: cyclicMetadata,
    }),
    base({
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
      metadata: { referrer: 1n, [Symbol('x')]: 1 },
    }),
    base({
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
      metadata: Object.create({ referrer: 'search' }) as object,
    }),
    base({
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
      metadata: {
        referrer: 'search',
        position: Array.from({ length: 100_000 }, (_, i) => `+1 555 010 ${i}`),
      },
    }),
    base({
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
      metadata: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'a@example.com'])),
    }),
  ];
}
