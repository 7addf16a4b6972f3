import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { ActivityEvent } from '../activity-event.types';
import { getDefaultActivityCatalog } from '../catalog/activity-catalog';
import { nastyInputs, validEventArbitrary } from '../testing/activity-event.arbitrary';
import { validateActivityEvent } from './validate-activity-event';
import { formatProblems, ValidationProblem } from './validation-problem.types';

const catalog = getDefaultActivityCatalog();

/** A deep copy of a catalog example, to break in one place per test. */
function exampleOf(type: string): ActivityEvent {
  const definition = catalog.get(type);
  if (definition === undefined) throw new Error(`no ${type} in the catalog`);
  return structuredClone(definition.example);
}

// The tests break events in arbitrary places, with values of any type: `any` is the honest type here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Breakable = Record<string, any>;

/** A valid review.submitted event with `change` applied to it. */
function review(change: (event: Breakable) => void): unknown {
  const event = exampleOf('review.submitted') as unknown as Breakable;
  change(event);
  return event;
}

function problemsOf(input: unknown): ValidationProblem[] {
  const result = validateActivityEvent(input);
  return result.ok ? [] : result.problems;
}

describe('validateActivityEvent', () => {
  it.each(catalog.types)('accepts the catalog example of %s, returning it', (type) => {
    const example = catalog.get(type)?.example;
    expect(validateActivityEvent(example)).toEqual({ ok: true, event: example });
  });

  it('returns the very object it was given when it is valid (no copy)', () => {
    const event = exampleOf('app.viewed');
    const result = validateActivityEvent(event);
    expect(result.ok && result.event).toBe(event);
  });

  describe('the envelope', () => {
    it.each(['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'])(
      'requires %s',
      (attribute) => {
        expect(problemsOf(review((e) => delete e[attribute]))).toContainEqual({
          path: attribute,
          message: 'required',
        });
      },
    );

    it.each([
      ['specversion', '0.3', 'must be "1.0"'],
      ['specversion', 1, 'must be "1.0"'],
      [
        'id',
        '00000000-0000-0000-0000-000000000000',
        'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)',
      ],
      [
        'id',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)',
      ],
      [
        'id',
        '017f22e2-79b0-7cc3-c8c4-dc0c0c07398f',
        'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)',
      ],
      ['id', 42, 'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)'],
      ['source', '', 'must be a non-empty URI-reference'],
      ['source', '/services/app catalog', 'must be a non-empty URI-reference'],
      ['source', '1service:x', 'must be a non-empty URI-reference'],
      ['source', '/services/%zz', 'must be a non-empty URI-reference'],
      ['source', `/${'s'.repeat(256)}`, 'must be a non-empty URI-reference'],
      ['type', 'app.deleted', 'unknown activity type "app.deleted"'],
      ['type', 'X'.repeat(1000), 'unknown activity type'],
      ['type', 7, 'must be a string'],
      ['time', '2026-11-22 01:53:46', 'must be an RFC 3339 timestamp'],
      ['time', 1_795_312_939_193, 'must be an RFC 3339 timestamp'],
      ['datacontenttype', 'text/plain', 'must be "application/json"'],
      ['subject', 42, 'must be a string'],
      ['subject', 'app/app_43', 'must be "<entity type>/<entity id>" of data.entity'],
      ['subject', 'app_42', 'must be "<entity type>/<entity id>" of data.entity'],
      ['data', 'text', 'must be a JSON object'],
      ['data', [], 'must be a JSON object'],
      ['traceparent', '00-abc-01', 'not a Chronicle event attribute'],
    ])('reports %s = %j: %s', (path, value, message) => {
      expect(problemsOf(review((e) => (e[path] = value)))).toEqual([{ path, message }]);
    });

    it.each([
      '/services/app-catalog',
      'services/app-catalog',
      'urn:chronicle:gateway',
      'https://example.com/a?b=1#c',
      '/s/%C3%A9',
    ])('accepts the source %j', (source) => {
      expect(problemsOf(review((e) => (e['source'] = source)))).toEqual([]);
    });

    it('accepts any RFC 3339 time, not only the UTC form producers emit', () => {
      expect(problemsOf(review((e) => (e['time'] = '2026-11-22T02:53:46.123456+01:00')))).toEqual([]);
    });

    it('refuses a subject when there is no entity', () => {
      const search = exampleOf('search.performed') as unknown as Record<string, unknown>;
      search['subject'] = 'app/app_42';
      expect(problemsOf(search)).toEqual([{ path: 'subject', message: 'given without data.entity' }]);
    });

    it('accepts an event without subject', () => {
      expect(problemsOf(review((e) => delete e['subject']))).toEqual([]);
    });

    it('accepts an id of any RFC 9562 version, 1 to 8, in either case: producers outside Node make UUIDv4s', () => {
      expect(problemsOf(review((e) => (e['id'] = randomUUID())))).toEqual([]);
      fc.assert(
        fc.property(fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }), fc.boolean(), (id, upper) => {
          expect(problemsOf(review((e) => (e['id'] = upper ? id.toUpperCase() : id)))).toEqual([]);
        }),
      );
    });

    it('refuses an id of an undefined version or another variant, naming the rule', () => {
      const withVariant = (id: string, variant: string) => id.slice(0, 19) + variant + id.slice(20);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uuid({ version: [9, 10, 11, 12, 13, 14, 15] }),
            fc.uuid().map((id) => id.slice(0, 14) + '0' + id.slice(15)),
            fc.tuple(fc.uuid(), fc.constantFrom(...'01234567cdef')).map(([id, v]) => withVariant(id, v)),
          ),
          (id) => {
            expect(problemsOf(review((e) => (e['id'] = id)))).toEqual([
              { path: 'id', message: 'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)' },
            ]);
          },
        ),
      );
    });
  });

  describe('the actor', () => {
    it.each([
      ['data.actor', undefined, 'required'],
      ['data.actor', 'u_123', 'must be a JSON object'],
      ['data.actor.type', undefined, 'required'],
      ['data.actor.type', 'robot', 'must be one of user, system, service'],
      ['data.actor.type', 'system', '"system" is not allowed for review.submitted (allowed: user)'],
      ['data.actor.id', undefined, 'required'],
      ['data.actor.id', 123, 'must be a string'],
      ['data.actor.id', '', 'must not be empty'],
      ['data.actor.id', 'u'.repeat(129), 'must be at most 128 characters'],
      ['data.actor.id', 'jane.doe@example.com', 'looks like an e-mail address (ids must be opaque)'],
      ['data.actor.id', '+44 20 7946 0958', 'looks like a phone number (ids must be opaque)'],
      ['data.actor.id', '4111 1111 1111 1111', 'looks like a payment card number (ids must be opaque)'],
      ['data.actor.id', '192.168.10.7', 'looks like an IP address (ids must be opaque)'],
      ['data.actor.id', '2001:db8::7', 'looks like an IP address (ids must be opaque)'],
      ['data.actor.id', 'u_\uD800', 'must be valid Unicode text (no NUL, no unpaired surrogate)'],
      ['data.actor.name', 'Jane', 'not allowed'],
    ])('reports %s = %j: %s', (path, value, message) => {
      const event = review((e) => {
        const [, , key] = path.split('.');
        if (key === undefined) e['data'].actor = value;
        else if (value === undefined) delete e['data'].actor[key];
        else e['data'].actor[key] = value;
      });
      expect(problemsOf(event)).toEqual([{ path, message }]);
    });

    it('accepts ids of up to 128 characters, in any script', () => {
      expect(problemsOf(review((e) => (e['data'].actor.id = 'u'.repeat(128))))).toEqual([]);
      // Opaque ids that merely hold digits: numeric ids, UUIDs, snowflakes.
      for (const id of ['5551234567', '0192f0c1-7d3e-7a4b-9c1d-2e3f4a5b6c7d', '1799999999999999999'])
        expect(problemsOf(review((e) => (e['data'].actor.id = id)))).toEqual([]);
      expect(problemsOf(review((e) => (e['data'].actor.id = 'ユーザー😀')))).toEqual([]);
    });
  });

  describe('the entity', () => {
    it('is required when the type is about one', () => {
      expect(problemsOf(review((e) => (delete e['data'].entity, delete e['subject'])))).toEqual([
        { path: 'data.entity', message: 'required for review.submitted (a app)' },
      ]);
    });

    it('is refused when the type is about none', () => {
      const search = exampleOf('search.performed');
      search.data.entity = { type: 'app', id: 'app_42' };
      expect(problemsOf(search)).toEqual([
        { path: 'data.entity', message: 'not allowed for search.performed (it is not about an entity)' },
      ]);
    });

    it.each([
      ['data.entity', 'app_42', 'must be a JSON object'],
      ['data.entity.type', 'media_item', 'must be "app" for review.submitted'],
      ['data.entity.type', '', 'must be a non-empty string of at most 64 characters without "/"'],
      ['data.entity.type', 'a/b', 'must be a non-empty string of at most 64 characters without "/"'],
      ['data.entity.type', undefined, 'required'],
      ['data.entity.id', undefined, 'required'],
      ['data.entity.id', 'x'.repeat(129), 'must be at most 128 characters'],
      ['data.entity.id', 'jane@example.com', 'looks like an e-mail address (ids must be opaque)'],
      ['data.entity.id', 'tel:+1 (555) 123-4567', 'looks like a phone number (ids must be opaque)'],
      ['data.entity.id', '5500-0000-0000-0004', 'looks like a payment card number (ids must be opaque)'],
      ['data.entity.id', '10.0.0.12', 'looks like an IP address (ids must be opaque)'],
      ['data.entity.name', 'Photo Pro', 'not allowed'],
    ])('reports %s = %j: %s', (path, value, message) => {
      const event = review((e) => {
        delete e['subject'];
        const [, , key] = path.split('.');
        if (key === undefined) e['data'].entity = value;
        else if (value === undefined) delete e['data'].entity[key];
        else e['data'].entity[key] = value;
      });
      expect(problemsOf(event)).toEqual([{ path, message }]);
    });
  });

  describe('metadata', () => {
    it.each([
      [{}, 'data.metadata.rating', 'required'],
      [{ rating: 7 }, 'data.metadata.rating', 'must be <= 5'],
      [{ rating: 0 }, 'data.metadata.rating', 'must be >= 1'],
      [{ rating: 4.5 }, 'data.metadata.rating', 'must be an integer'],
      [{ rating: '5' }, 'data.metadata.rating', 'must be an integer'],
      [{ rating: NaN }, 'data.metadata.rating', 'must be an integer'],
      [{ rating: Infinity }, 'data.metadata.rating', 'must be an integer'],
      [{ rating: 10n }, 'data.metadata.rating', 'must be an integer'],
      [{ hasText: 'yes' }, 'data.metadata.hasText', 'must be a boolean'],
      [{ textLength: -1 }, 'data.metadata.textLength', 'must be >= 0'],
      [{ stars: 5 }, 'data.metadata.stars', 'not allowed for review.submitted'],
    ])('reports %j', (change, path, message) => {
      const event = review((e) => {
        if (Object.keys(change).length === 0) delete e['data'].metadata.rating;
        Object.assign(e['data'].metadata, change);
      });
      expect(problemsOf(event)).toEqual([{ path, message }]);
    });

    it.each([
      [
        'app.viewed',
        { referrer: 'twitter' },
        'data.metadata.referrer',
        'must be one of: search, home, category, collection, share_link, notification, direct',
      ],
      [
        'search.performed',
        { query: 'q'.repeat(201) },
        'data.metadata.query',
        'must be at most 200 characters',
      ],
      ['search.performed', { query: '' }, 'data.metadata.query', 'must not be empty'],
      [
        'download.initiated',
        { version: 'latest' },
        'data.metadata.version',
        'must match ^[0-9]+(\\.[0-9]+){0,3}([-+][0-9A-Za-z.-]+)?$',
      ],
      ['profile.updated', { changedFields: [] }, 'data.metadata.changedFields', 'must have at least 1 item'],
      [
        'profile.updated',
        { changedFields: ['bio', 'email'] },
        'data.metadata.changedFields.1',
        'must be one of: displayName, avatar, bio, language, timezone, notificationPreferences',
      ],
      [
        'profile.updated',
        { changedFields: ['bio', 'bio'] },
        'data.metadata.changedFields',
        'must not have duplicates (items 0 and 1 are equal)',
      ],
      ['profile.updated', { changedFields: 'bio' }, 'data.metadata.changedFields', 'must be an array'],
      [
        'settings.updated',
        { changedKeys: Array.from({ length: 51 }, (_, i) => `key${i}`) },
        'data.metadata.changedKeys',
        'must have at most 50 items',
      ],
      ['media_item.added', { durationSec: 'long' }, 'data.metadata.durationSec', 'must be a number'],
    ])('checks %s metadata %j', (type, change, path, message) => {
      const event = exampleOf(type);
      Object.assign(event.data.metadata, change);
      expect(problemsOf(event)).toEqual([{ path, message }]);
    });

    it.each([
      [null, 'required'],
      [[], 'must be a JSON object'],
      [new Date(), 'must be a JSON object'],
      [Object.create({ rating: 5, hasText: true }), 'must be a JSON object'],
    ])('must be a JSON object, not %p', (metadata, message) => {
      const event = review((e) => (e['data'].metadata = metadata ?? undefined));
      expect(problemsOf(event)).toEqual([{ path: 'data.metadata', message }]);
    });

    it('accepts metadata without a prototype (as some JSON parsers make it)', () => {
      expect(
        problemsOf(
          review((e) => (e['data'].metadata = Object.assign(Object.create(null), e['data'].metadata))),
        ),
      ).toEqual([]);
    });
  });

  describe('context', () => {
    it.each([
      [
        'ip',
        '203.0.113.9',
        'not allowed (allowed: requestId, sessionId, clientVersion, appVersion, platform)',
      ],
      [
        'userAgent',
        'Mozilla/5.0',
        'not allowed (allowed: requestId, sessionId, clientVersion, appVersion, platform)',
      ],
      ['requestId', 42, 'must be a string'],
      ['requestId', '', 'must be a non-empty string of at most 128 characters'],
      ['sessionId', 's'.repeat(129), 'must be a non-empty string of at most 128 characters'],
      ['requestId', 'jane@example.com', 'looks like an e-mail address (PII is not allowed)'],
      ['platform', '192.168.0.12', 'looks like an IP address (PII is not allowed)'],
      ['sessionId', '+44 20 7946 0958', 'looks like a phone number (PII is not allowed)'],
      ['requestId', 'a\u0000b', 'must be valid Unicode text (no NUL, no unpaired surrogate)'],
    ])('reports %s = %j: %s', (key, value, message) => {
      expect(problemsOf(review((e) => (e['data'].context[key] = value)))).toEqual([
        { path: `data.context.${key}`, message },
      ]);
    });

    it('accepts dotted-quad versions in clientVersion and appVersion', () => {
      const event = review((e) =>
        Object.assign(e['data'].context, { clientVersion: '1.2.3.4', appVersion: '10.0.19045.3803' }),
      );
      expect(problemsOf(event)).toEqual([]);
    });

    it('is optional, and must be a JSON object when given', () => {
      expect(problemsOf(review((e) => delete e['data'].context))).toEqual([]);
      expect(problemsOf(review((e) => (e['data'].context = 'ios')))).toEqual([
        { path: 'data.context', message: 'must be a JSON object' },
      ]);
    });
  });

  describe('personal data in metadata', () => {
    it.each([
      ['jane.doe@example.com', 'an e-mail address'],
      ['call +1 555 123 4567', 'a phone number'],
      ['192.168.1.20', 'an IP address'],
      ['2001:db8::1', 'an IP address'],
      ['4111 1111 1111 1111', 'a payment card number'],
    ])('reports %j as %s, without echoing it', (query, kind) => {
      const event = exampleOf('search.performed');
      event.data.metadata['query'] = query;
      const problems = problemsOf(event);
      expect(problems).toEqual([
        { path: 'data.metadata.query', message: `looks like ${kind} (PII is not allowed)` },
      ]);
      expect(formatProblems(problems)).not.toContain(query);
    });

    it('finds it at any depth and in arrays, also under keys that are not allowed', () => {
      const event = review((e) => (e['data'].metadata.extra = { deep: ['fine', '+1 555 123 4567'] }));
      expect(problemsOf(event)).toEqual([
        { path: 'data.metadata.extra', message: 'not allowed for review.submitted' },
        { path: 'data.metadata.extra.deep.1', message: 'looks like a phone number (PII is not allowed)' },
      ]);
    });

    it('reports the schema problem and the PII of one value both', () => {
      const event = exampleOf('settings.updated');
      event.data.metadata['changedKeys'] = ['smtp.host', 'ops@example.com'];
      expect(problemsOf(event)).toEqual([
        { path: 'data.metadata.changedKeys.1', message: 'must match ^[A-Za-z][A-Za-z0-9_.]*$' },
        { path: 'data.metadata.changedKeys.1', message: 'looks like an e-mail address (PII is not allowed)' },
      ]);
    });

    it('reads a dotted quad under a version key as a version', () => {
      const event = exampleOf('download.initiated');
      event.data.metadata['version'] = '1.2.3.4';
      expect(problemsOf(event)).toEqual([]);
    });
  });

  it('reports every problem at once, in the order of the event', () => {
    const event = {
      specversion: '1.0',
      id: 'not-a-uuid',
      source: '/services/reviews',
      type: 'review.submitted',
      time: 'yesterday',
      datacontenttype: 'application/json',
      data: {
        actor: { type: 'service', id: '' },
        entity: { type: 'app', id: 'app_42' },
        metadata: { rating: 6, hasText: true, reviewer: 'jane@example.com' },
        context: { ip: '203.0.113.9' },
      },
    };
    expect(problemsOf(event)).toEqual([
      { path: 'id', message: 'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)' },
      { path: 'time', message: 'must be an RFC 3339 timestamp' },
      { path: 'data.actor.type', message: '"service" is not allowed for review.submitted (allowed: user)' },
      { path: 'data.actor.id', message: 'must not be empty' },
      { path: 'data.metadata.reviewer', message: 'not allowed for review.submitted' },
      { path: 'data.metadata.rating', message: 'must be <= 5' },
      { path: 'data.metadata.reviewer', message: 'looks like an e-mail address (PII is not allowed)' },
      {
        path: 'data.context.ip',
        message: 'not allowed (allowed: requestId, sessionId, clientVersion, appVersion, platform)',
      },
    ]);
  });

  it('checks what it can of an event of an unknown type', () => {
    const event = review((e) => {
      e['type'] = 'review.deleted';
      e['data'].actor.id = '';
      e['data'].metadata.email = 'jane@example.com';
    });
    expect(problemsOf(event)).toEqual([
      { path: 'type', message: 'unknown activity type "review.deleted"' },
      { path: 'data.actor.id', message: 'must not be empty' },
      { path: 'data.metadata.email', message: 'looks like an e-mail address (PII is not allowed)' },
    ]);
  });

  it('stops listing after 100 problems', () => {
    const event = review((e) => {
      for (let i = 0; i < 500; i++) e['data'].metadata[`k${i}`] = i;
    });
    const problems = problemsOf(event);
    expect(problems).toHaveLength(101);
    expect(problems[100]).toEqual({ path: '', message: 'more than 100 problems; the rest are not listed' });
  });

  it('formats problems on one line, for logs and DLQ headers', () => {
    expect(
      formatProblems([
        { path: '', message: 'must be a JSON object' },
        ...problemsOf({ ...exampleOf('app.viewed'), time: 'now' }),
      ]),
    ).toBe('must be a JSON object; time: must be an RFC 3339 timestamp');
  });

  it('ignores Symbol keys, as JSON does', () => {
    expect(problemsOf(review((e) => (e['data'].metadata[Symbol('note')] = 'jane@example.com')))).toEqual([]);
  });

  it('refuses an object that inherits its attributes (JSON would not carry them)', () => {
    expect(problemsOf(Object.create(exampleOf('app.viewed')))).toEqual([
      { path: '', message: 'must be a JSON object' },
    ]);
  });

  describe('never throws', () => {
    it.each(nastyInputs().map((input, i) => [i, input]))('on nasty input #%s', (_, input) => {
      const result = validateActivityEvent(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    });

    it('reports what it can read of an object with throwing getters', () => {
      const event = review((e) => {
        Object.defineProperty(e['data'].actor, 'id', {
          enumerable: true,
          get: () => {
            throw new Error('boom');
          },
        });
        Object.defineProperty(e, 'time', {
          enumerable: true,
          get: () => {
            throw new Error('boom');
          },
        });
      });
      expect(problemsOf(event)).toEqual([
        { path: 'time', message: 'could not be read' },
        { path: 'data.actor.id', message: 'could not be read' },
      ]);
      const throwing = {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      };
      const more = review((e) => {
        Object.defineProperty(e['data'], 'entity', throwing);
        Object.defineProperty(e['data'], 'context', throwing);
        Object.defineProperty(e['data'].metadata, 'rating', throwing);
      });
      expect(problemsOf(more)).toEqual([
        { path: 'data.entity', message: 'could not be read' },
        { path: 'data.metadata', message: 'could not be read' },
        { path: 'data.context', message: 'could not be read' },
      ]);
    });

    it('on 10,000 arbitrary values', () => {
      fc.assert(
        fc.property(
          fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withSparseArray: true,
            withTypedArray: true,
            withBoxedValues: true,
            withObjectString: true,
          }),
          (input) => {
            const result = validateActivityEvent(input);
            return result.ok
              ? result.event === input
              : result.problems.every((p) => typeof p.path === 'string' && typeof p.message === 'string');
          },
        ),
        { numRuns: 10_000 },
      );
    });

    it('on 10,000 valid events with one value replaced by anything', () => {
      const valid = validEventArbitrary(catalog);
      fc.assert(
        fc.property(
          valid,
          fc.nat(),
          fc.anything({ withBigInt: true, withNullPrototype: true }),
          (event, pick, replacement) => {
            const paths = leafPaths(event);
            const path = paths[pick % paths.length] as string[];
            setAt(event, path, replacement);
            const result = validateActivityEvent(event);
            return typeof result.ok === 'boolean';
          },
        ),
        { numRuns: 10_000 },
      );
    });
  });
});

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [
    prefix,
    ...Object.keys(value).flatMap((key) =>
      leafPaths((value as Record<string, unknown>)[key], [...prefix, key]),
    ),
  ].filter((p) => p.length > 0);
}

function setAt(root: unknown, path: readonly string[], value: unknown): void {
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
}
