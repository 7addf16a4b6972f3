import type { ActivityEvent } from '../activity-event.types';
import { toActivityEvent } from '../activity-event.factory';
import { validateActivityEvent } from '../validation/validate-activity-event';
import { ActivityCatalogError, createActivityCatalog, getDefaultActivityCatalog } from './activity-catalog';
import type { ActivityTypeDefinition } from './activity-type-definition.types';
import { ActivityTypeFilterError } from './type-filter.util';

const catalog = getDefaultActivityCatalog();

/** A deployment-specific type, as configuration would add it. */
function podcastPlayed(overrides: Record<string, unknown> = {}): ActivityTypeDefinition {
  return {
    type: 'podcast.played',
    meaning: 'A user played a podcast episode.',
    sentence: 'Played episode {entity.id} for {metadata.secondsPlayed} s (at {metadata.speed}× speed)',
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'podcast_episode',
    metadataSchema: {
      type: 'object',
      properties: {
        secondsPlayed: { type: 'integer', description: 'How long it played.', minimum: 0, maximum: 86_400 },
        speed: { type: 'number', description: 'Playback speed.', minimum: 0.5, maximum: 3 },
      },
      required: ['secondsPlayed'],
      additionalProperties: false,
    },
    analyticsKeys: ['secondsPlayed'],
    retentionDays: 30,
    example: toActivityEvent(
      {
        type: 'podcast.played',
        actor: { type: 'user', id: 'u_1' },
        entity: { type: 'podcast_episode', id: 'ep_9' },
        metadata: { secondsPlayed: 1200, speed: 1.5 },
      },
      {
        source: '/services/podcasts',
        id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
        time: '2026-11-22T01:53:46.123Z',
      },
    ),
    ...overrides,
  } as ActivityTypeDefinition;
}

function problemsOfCatalog(extra: unknown[]): readonly string[] {
  try {
    createActivityCatalog(extra as ActivityTypeDefinition[]);
  } catch (error) {
    if (error instanceof ActivityCatalogError) return error.problems;
    throw error;
  }
  return [];
}

describe('the built-in catalog', () => {
  it("has the 19 types of DESIGN.md, user activity first, then the gateway's own audit types", () => {
    expect(catalog.types).toEqual([
      'app.viewed',
      'app.shared',
      'favorite.added',
      'favorite.removed',
      'review.submitted',
      'search.performed',
      'collection.created',
      'profile.updated',
      'media_item.added',
      'download.initiated',
      'download.completed',
      'download.failed',
      'job.started',
      'job.completed',
      'job.failed',
      'health_check.failed',
      'user.logged_in',
      'user.logged_out',
      'settings.updated',
      'admin.activities_viewed',
      'admin.activities_exported',
    ]);
    expect(catalog.definitions().filter((d) => d.category === 'user-activity')).toHaveLength(8);
  });

  it('declares what the DESIGN.md examples need', () => {
    const review = catalog.get('review.submitted');
    expect(review?.metadataSchema.properties['rating']).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });
    expect(review?.metadataSchema.properties['hasText']).toMatchObject({ type: 'boolean' });
    expect(catalog.get('search.performed')?.metadataSchema.properties['query']).toMatchObject({
      type: 'string',
      maxLength: 200,
    });
    expect(catalog.get('download.failed')?.metadataSchema.properties['reason']).toMatchObject({
      type: 'string',
      enum: expect.any(Array),
    });
    expect(catalog.get('job.completed')?.metadataSchema.required).toEqual(['jobType', 'durationMs']);
  });

  it('keeps free text out of analytics', () => {
    expect(catalog.get('search.performed')?.analyticsKeys).not.toContain('query');
  });

  it('defaults retention to 90 days, with audit and noise classes where they matter', () => {
    expect(catalog.get('app.viewed')?.retentionDays).toBe(90);
    expect(catalog.get('user.logged_in')?.retentionDays).toBe(365);
    expect(catalog.get('health_check.failed')?.retentionDays).toBe(30);
  });

  it('gives every type an example of that type', () => {
    for (const definition of catalog.definitions()) expect(definition.example.type).toBe(definition.type);
  });

  it('answers lookups for unknown types with undefined', () => {
    expect(catalog.get('app.deleted')).toBeUndefined();
    expect(catalog.has('app.deleted')).toBe(false);
    expect(catalog.has('app.viewed')).toBe(true);
    expect(catalog.metadataErrors('app.deleted', {})).toBeNull();
  });

  it('is made once', () => {
    expect(getDefaultActivityCatalog()).toBe(catalog);
  });
});

describe('createActivityCatalog', () => {
  it('adds types from configuration, and validates their events', () => {
    const extended = createActivityCatalog([podcastPlayed()]);
    expect(extended.types).toHaveLength(22);
    expect(extended.get('podcast.played')?.retentionDays).toBe(30);
    const event = structuredClone(extended.get('podcast.played')?.example) as ActivityEvent;
    expect(validateActivityEvent(event, extended).ok).toBe(true);
    expect(validateActivityEvent(event).ok).toBe(false);
    event.data.metadata['secondsPlayed'] = -1;
    expect(validateActivityEvent(event, extended)).toEqual({
      ok: false,
      problems: [{ path: 'data.metadata.secondsPlayed', message: 'must be >= 0' }],
    });
  });

  it('defaults the retention of an added type to 90 days', () => {
    const withoutRetention = podcastPlayed();
    delete withoutRetention.retentionDays;
    expect(createActivityCatalog([withoutRetention]).get('podcast.played')?.retentionDays).toBe(90);
  });

  it('rejects a type that duplicates a built-in one or another added one', () => {
    const viewed = { ...podcastPlayed(), type: 'app.viewed', example: catalog.get('app.viewed')?.example };
    expect(problemsOfCatalog([podcastPlayed(), podcastPlayed()])).toEqual([
      'definition 22 (podcast.played): duplicates an earlier definition of podcast.played',
    ]);
    expect(problemsOfCatalog([viewed])).toContain(
      'definition 21 (app.viewed): duplicates an earlier definition of app.viewed',
    );
  });

  it('lists every problem of a bad definition at once', () => {
    const problems = problemsOfCatalog([
      podcastPlayed({
        type: 'PodcastPlayed',
        meaning: 'two\nlines',
        category: 'fun',
        actorTypes: ['user', 'robot'],
        entityType: 'Podcast Episode',
        analyticsKeys: ['listener'],
        retentionDays: 45,
        actorType: 'user',
      }),
    ]);
    expect(problems).toEqual([
      'definition 21 (PodcastPlayed): actorType: unknown field',
      'definition 21 (PodcastPlayed): type: must be dot-separated lower snake case segments, at least two (`download.failed`), ≤ 64 characters',
      'definition 21 (PodcastPlayed): meaning: must be one non-empty line',
      'definition 21 (PodcastPlayed): category: must be one of user-activity, system-operations',
      'definition 21 (PodcastPlayed): actorTypes: must be a non-empty list of distinct actor types (user, system, service)',
      'definition 21 (PodcastPlayed): entityType: must be lower snake case, ≤ 64 characters',
      'definition 21 (PodcastPlayed): analyticsKeys: listener is not a metadata property',
      'definition 21 (PodcastPlayed): retentionDays: must be one of 30, 90, 365',
    ]);
  });

  it.each([
    [
      { additionalProperties: true },
      'metadataSchema.additionalProperties: must be false (metadata keys are declared)',
    ],
    [{ type: 'array' }, 'metadataSchema.type: must be "object"'],
    [{ properties: [] }, 'metadataSchema.properties: must be an object'],
    [{ required: ['missing'] }, 'metadataSchema.required: missing is not a property'],
    [{ required: 'secondsPlayed' }, 'metadataSchema.required: must be a list of distinct keys'],
    [
      {
        properties: Object.fromEntries(
          Array.from({ length: 33 }, (_, i) => [`k${i}`, { type: 'boolean', description: 'x' }]),
        ),
      },
      'metadataSchema.properties: at most 32 keys',
    ],
    [{ $id: 'x' }, 'metadataSchema.$id: unknown field'],
    [
      { properties: { note: { type: 'string', description: 'Free text.' } } },
      'metadataSchema.properties.note: a string needs a maxLength or an enum (no unbounded text)',
    ],
    [
      { properties: { note: { type: 'string', description: 'Long.', maxLength: 5000 } } },
      'metadataSchema.properties.note.maxLength: must be an integer from 1 to 1024',
    ],
    [
      { properties: { note: { type: 'string', description: 'x', maxLength: 5, minLength: 6 } } },
      'metadataSchema.properties.note.minLength: must be an integer from 0 to maxLength',
    ],
    [
      { properties: { note: { type: 'string', description: 'x', enum: [] } } },
      'metadataSchema.properties.note.enum: must be a non-empty list of distinct strings',
    ],
    [
      { properties: { note: { type: 'string', description: 'x', maxLength: 5, pattern: '(' } } },
      'metadataSchema.properties.note.pattern: must be a valid regular expression',
    ],
    [
      { properties: { note: { type: 'string', maxLength: 5 } } },
      'metadataSchema.properties.note.description: required (one line for the docs)',
    ],
    [
      { properties: { note: { type: 'string', description: 'x', maxLength: 5, format: 'email' } } },
      'metadataSchema.properties.note.format: not supported for string fields',
    ],
    [
      { properties: { Note: { type: 'boolean', description: 'x' } } },
      'metadataSchema.properties.Note: key must be camelCase, ≤ 64 characters',
    ],
    [
      { properties: { note: { type: 'object', description: 'x' } } },
      'metadataSchema.properties.note.type: must be one of string, integer, number, boolean, array',
    ],
    [{ properties: { note: 'string' } }, 'metadataSchema.properties.note: must be a schema object'],
    [
      { properties: { n: { type: 'integer', description: 'x', minimum: 5, maximum: 1 } } },
      'metadataSchema.properties.n: minimum is greater than maximum',
    ],
    [
      { properties: { n: { type: 'number', description: 'x', minimum: '0', maximum: Infinity } } },
      'metadataSchema.properties.n.minimum: must be a finite number',
    ],
    [
      { properties: { tags: { type: 'array', description: 'x', items: { type: 'string', maxLength: 9 } } } },
      'metadataSchema.properties.tags.maxItems: required, 1–1000',
    ],
    [
      {
        properties: {
          tags: {
            type: 'array',
            description: 'x',
            maxItems: 3,
            minItems: 4,
            items: { type: 'string', maxLength: 9 },
          },
        },
      },
      'metadataSchema.properties.tags.minItems: must be an integer from 0 to maxItems',
    ],
    [
      {
        properties: {
          tags: {
            type: 'array',
            description: 'x',
            maxItems: 3,
            uniqueItems: 'yes',
            items: { type: 'string', maxLength: 9 },
          },
        },
      },
      'metadataSchema.properties.tags.uniqueItems: must be a boolean',
    ],
    [
      { properties: { tags: { type: 'array', description: 'x', maxItems: 3, items: { type: 'array' } } } },
      'metadataSchema.properties.tags.items.type: must be one of string, integer, number',
    ],
    [
      {
        properties: {
          tags: {
            type: 'array',
            description: 'x',
            maxItems: 3,
            items: { type: 'string', maxLength: 9, description: 'x' },
          },
        },
      },
      'metadataSchema.properties.tags.items.description: not supported for string fields',
    ],
  ])('rejects the metadata schema change %j', (change, problem) => {
    const definition = podcastPlayed();
    const schema = { ...definition.metadataSchema, required: [], ...change };
    expect(problemsOfCatalog([{ ...definition, metadataSchema: schema, analyticsKeys: [] }])).toContain(
      `definition 21 (podcast.played): ${problem}`,
    );
  });

  it('rejects a definition whose example does not validate', () => {
    const definition = podcastPlayed();
    const example = structuredClone(definition.example);
    example.data.metadata['secondsPlayed'] = 'long';
    expect(problemsOfCatalog([{ ...definition, example }])).toEqual([
      'definition 21 (podcast.played): example is invalid: data.metadata.secondsPlayed: must be an integer',
    ]);
  });

  it('rejects a definition whose example is of another type', () => {
    const definition = podcastPlayed({ type: 'podcast.paused' });
    expect(problemsOfCatalog([definition])).toEqual([
      'definition 21 (podcast.paused): example is of type podcast.played',
    ]);
  });

  it('rejects what is not a list of definitions', () => {
    expect(problemsOfCatalog({ type: 'x.y' } as unknown as unknown[])).toEqual([
      'extra definitions must be an array',
    ]);
    expect(problemsOfCatalog([null, 'x'])).toEqual([
      'definition 21: must be an object',
      'definition 22: must be an object',
    ]);
    expect(problemsOfCatalog([{ ...podcastPlayed(), example: null }])).toEqual([
      'definition 21 (podcast.played): example: must be an event',
    ]);
    expect(
      problemsOfCatalog([{ ...podcastPlayed(), analyticsKeys: ['secondsPlayed', 'secondsPlayed'] }]),
    ).toEqual(['definition 21 (podcast.played): analyticsKeys: must be a list of distinct metadata keys']);
    expect(problemsOfCatalog([{ ...podcastPlayed(), metadataSchema: null, analyticsKeys: [] }])).toEqual([
      'definition 21 (podcast.played): metadataSchema: must be an object schema',
    ]);
  });

  it("accepts a sentence template that names the type's entity and metadata, optional keys in parentheses", () => {
    const sentence = 'Played {entity.type} {entity.id} of {actor.id} (beta) ({metadata.speed}×)';
    expect(problemsOfCatalog([podcastPlayed({ sentence })])).toEqual([]);
  });

  it.each([
    [undefined, 'sentence: must be one non-empty line of at most 200 characters'],
    [' ', 'sentence: must be one non-empty line of at most 200 characters'],
    ['Played\n{entity.id}', 'sentence: must be one non-empty line of at most 200 characters'],
    ['x'.repeat(201), 'sentence: must be one non-empty line of at most 200 characters'],
    ['Played {metadata.volume}', 'sentence: {metadata.volume} names no metadata property of the type'],
    ['Played ({metadata.volume})', 'sentence: {metadata.volume} names no metadata property of the type'],
    [
      'Played at {metadata.speed}×',
      'sentence: {metadata.speed} is optional metadata: put it in a parenthesised part',
    ],
    [
      'Played {entity.name}',
      'sentence: {entity.name} is not a placeholder: use {entity.id}, {entity.type}, {actor.id} or {metadata.<key>}',
    ],
    [
      'Played {episode}',
      'sentence: {episode} is not a placeholder: use {entity.id}, {entity.type}, {actor.id} or {metadata.<key>}',
    ],
    ['Played {entity.id', 'sentence: a "{" that is not part of a placeholder'],
    ['Played entity.id}', 'sentence: a "}" that is not part of a placeholder'],
    ['Played ({entity.id} (x))', 'sentence: parentheses cannot nest'],
    ['Played ({entity.id}', 'sentence: a "(" without its ")"'],
    ['Played {entity.id})', 'sentence: a ")" without its "("'],
  ])('rejects the sentence template %j', (sentence, problem) => {
    expect(problemsOfCatalog([podcastPlayed({ sentence })])).toContain(
      `definition 21 (podcast.played): ${problem}`,
    );
  });

  it('rejects a sentence naming an entity for a type without one', () => {
    const definition = podcastPlayed({ sentence: 'Played {entity.id}' });
    delete definition.entityType;
    expect(problemsOfCatalog([definition])).toContain(
      'definition 21 (podcast.played): sentence: {entity.id} names an entity, and the type has none',
    );
  });

  it('says in its message what is wrong', () => {
    expect(() => createActivityCatalog([podcastPlayed({ retentionDays: 7 })])).toThrow(
      'Invalid activity type catalog:\n- definition 21 (podcast.played): retentionDays: must be one of 30, 90, 365',
    );
  });
});

describe('type filters', () => {
  it('select an exact type', () => {
    expect(catalog.resolveFilter('app.viewed')).toEqual(['app.viewed']);
  });

  it('select every type under a prefix', () => {
    expect(catalog.resolveFilter('download.*')).toEqual([
      'download.initiated',
      'download.completed',
      'download.failed',
    ]);
    expect(catalog.resolveFilter('user.*')).toEqual(['user.logged_in', 'user.logged_out']);
  });

  it('combine a list of types and prefixes, without duplicates, in catalog order', () => {
    expect(catalog.resolveFilter(['job.failed', 'app.*', 'job.*'])).toEqual([
      'app.viewed',
      'app.shared',
      'job.started',
      'job.completed',
      'job.failed',
    ]);
  });

  it('work as predicates', () => {
    const isDownload = catalog.filterPredicate('download.*');
    expect(isDownload('download.failed')).toBe(true);
    expect(isDownload('download')).toBe(false);
    expect(isDownload('app.viewed')).toBe(false);
  });

  it('match a prefix on whole segments only', () => {
    const extended = createActivityCatalog([
      podcastPlayed({
        type: 'app.viewed_twice',
        example: { ...podcastPlayed().example, type: 'app.viewed_twice' },
      }),
    ]);
    expect(extended.resolveFilter('app.*')).toEqual(['app.viewed', 'app.shared', 'app.viewed_twice']);
    expect(() => extended.resolveFilter('app.viewed*')).toThrow(ActivityTypeFilterError);
  });

  it.each([
    ['app.deleted', '"app.deleted" is not an activity type'],
    ['dowload.*', '"dowload.*" matches no activity type'],
    ['*', '"*" is not a type prefix: write it as <segment>.* (e.g. download.*)'],
    ['download*', '"download*" is not a type prefix: write it as <segment>.* (e.g. download.*)'],
    ['.*', '".*" is not a type prefix: write it as <segment>.* (e.g. download.*)'],
    [[], 'an activity type filter needs at least one type or prefix'],
    [[42], 'an activity type filter must be a string'],
    [`${'x'.repeat(100)}.y`, `"${'x'.repeat(64)}…" is not an activity type`],
  ])('refuse %j', (filter, message) => {
    expect(() => catalog.resolveFilter(filter as string)).toThrow(new ActivityTypeFilterError(message));
    expect(() => catalog.filterPredicate(filter as string)).toThrow(ActivityTypeFilterError);
  });
});

describe('analyticsMetadata', () => {
  it('keeps only the analytics keys of the type', () => {
    const search = catalog.get('search.performed')?.example as ActivityEvent;
    expect(catalog.analyticsMetadata(search)).toEqual({ resultCount: 37, scope: 'apps', page: 1 });
  });

  it('keeps nothing of an unknown type, and no key that is absent', () => {
    const search = structuredClone(catalog.get('search.performed')?.example) as ActivityEvent;
    delete search.data.metadata['scope'];
    expect(catalog.analyticsMetadata(search)).toEqual({ resultCount: 37, page: 1 });
    expect(catalog.analyticsMetadata({ ...search, type: 'other.thing' })).toEqual({});
  });
});
