import fc from 'fast-check';
import { toActivityEvent } from '../activity-event.factory';
import type { ActivityEvent } from '../activity-event.types';
import { nastyInputs, validEventArbitrary } from '../testing/activity-event.arbitrary';
import { createActivityCatalog, getDefaultActivityCatalog } from './activity-catalog';
import { describeActivity, type DescribableActivity } from './activity-sentence';
import type { ActivityTypeDefinition } from './activity-type-definition.types';

const catalog = getDefaultActivityCatalog();

/** An event in the shape the API serves and describeActivity reads. */
const asActivity = (event: ActivityEvent): DescribableActivity => ({ type: event.type, ...event.data });
const exampleOf = (type: string) => asActivity(catalog.get(type)?.example as ActivityEvent);

describe('describeActivity', () => {
  it('renders the examples of the issue', () => {
    expect(describeActivity(exampleOf('app.viewed'))).toBe('Viewed app app_42');
    expect(describeActivity(exampleOf('download.initiated'))).toBe('Started downloading app_42 (3.4.1)');
    expect(describeActivity(exampleOf('admin.activities_viewed'))).toBe('Viewed the activity log');
  });

  it("renders every catalog type's example with every placeholder filled", () => {
    for (const definition of catalog.definitions()) {
      const sentence = describeActivity(asActivity(definition.example), catalog);
      expect({ type: definition.type, sentence }).toEqual({
        type: definition.type,
        sentence: expect.not.stringMatching(/[{}]/),
      });
      // The template was used, not the fallback: its first words are there.
      expect(sentence.startsWith(definition.sentence.split(/[{(]/)[0]?.trim() ?? '')).toBe(true);
    }
  });

  it('drops a parenthesised part whose value is missing, with the space before it', () => {
    const download = exampleOf('download.initiated');
    expect(describeActivity({ ...download, metadata: {} })).toBe('Started downloading app_42');
    expect(describeActivity({ ...download, metadata: { version: '' } })).toBe('Started downloading app_42');
    const started = exampleOf('job.started');
    expect(describeActivity(started)).toBe('Started job library_scan (attempt 1)');
    expect(describeActivity({ ...started, metadata: { jobType: 'library_scan' } })).toBe(
      'Started job library_scan',
    );
  });

  it('keeps a part in parentheses that names no placeholder, and drops one in the middle cleanly', () => {
    const custom = createActivityCatalog([
      podcastDefinition('Played {entity.id} (beta) (at {metadata.speed}× speed) today'),
    ]);
    const played = asActivity(custom.get('podcast.played')?.example as ActivityEvent);
    expect(describeActivity(played, custom)).toBe('Played ep_9 (beta) (at 1.5× speed) today');
    expect(describeActivity({ ...played, metadata: {} }, custom)).toBe('Played ep_9 (beta) today');
  });

  it('writes numbers with separators, booleans as yes or no, lists with commas, and enum values as words', () => {
    expect(describeActivity(exampleOf('admin.activities_exported'))).toBe(
      'Exported 125,000 activities as csv',
    );
    expect(describeActivity(exampleOf('download.failed'))).toBe('Download of app_42 failed (storage full)');
    expect(describeActivity(exampleOf('user.logged_out'))).toBe('Signed out (user initiated)');
    const settings = exampleOf('settings.updated');
    const keys = Array.from({ length: 8 }, (_, i) => `key_${i}`);
    expect(describeActivity({ ...settings, metadata: { changedKeys: keys } })).toBe(
      'Changed transcoding settings (key_0, key_1, key_2, key_3, key_4 and 3 more)',
    );
    const custom = createActivityCatalog([podcastDefinition('Played {entity.id} (new: {metadata.isNew})')]);
    const played = asActivity(custom.get('podcast.played')?.example as ActivityEvent);
    expect(describeActivity({ ...played, metadata: { isNew: false } }, custom)).toBe('Played ep_9 (new: no)');
  });

  it('keeps a value on one line and cuts a long one', () => {
    const search = exampleOf('search.performed');
    expect(describeActivity({ ...search, metadata: { query: 'photo\n\teditor', resultCount: 2 } })).toBe(
      'Searched for "photo editor" (2 results)',
    );
    const long = describeActivity({ ...search, metadata: { query: 'x'.repeat(1_000), resultCount: 2 } });
    expect(long).toBe(`Searched for "${'x'.repeat(79)}…" (2 results)`);
  });

  it('falls back to the type in words for a type the catalog does not have', () => {
    const unknown = { type: 'podcast.played', entity: { type: 'podcast_episode', id: 'ep_9' }, metadata: {} };
    expect(describeActivity(unknown)).toBe('Podcast played: ep_9');
    expect(describeActivity({ type: 'app.fully_deleted', metadata: {} })).toBe('App fully deleted');
  });

  it('falls back the same way when a value the sentence cannot do without is missing', () => {
    expect(describeActivity({ type: 'app.viewed', entity: null, metadata: {} })).toBe('App viewed');
    expect(describeActivity({ ...exampleOf('app.viewed'), entity: { type: 'app', id: ' ' } })).toBe(
      'App viewed',
    );
    expect(describeActivity({ ...exampleOf('review.submitted'), metadata: { rating: { stars: 4 } } })).toBe(
      'Review submitted: app_42',
    );
  });

  it('says "Activity" when not even the type is known, and survives hostile objects', () => {
    for (const input of [null, undefined, 42, 'app.viewed', [], {}, { type: '' }, { type: '._.' }])
      expect(describeActivity(input as unknown as DescribableActivity)).toBe('Activity');
    for (const input of nastyInputs()) {
      const sentence = describeActivity(input as DescribableActivity);
      expect(typeof sentence).toBe('string');
      expect(sentence.length).toBeGreaterThan(0);
      expect(sentence.length).toBeLessThanOrEqual(400);
    }
  });

  it('never throws and always returns a non-empty line, whatever it is given', () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.constantFrom('app_42', '', '{entity.id}'));
    const activity = fc.record(
      {
        type: fc.oneof(fc.constantFrom(...catalog.types), fc.string(), fc.anything()),
        actor: fc.oneof(fc.anything(), fc.record({ type: field, id: field })),
        entity: fc.oneof(fc.anything(), fc.record({ type: field, id: field })),
        metadata: fc.oneof(fc.anything(), fc.dictionary(fc.string(), fc.anything())),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(activity, fc.anything()), (input) => {
        const sentence = describeActivity(input as DescribableActivity);
        return typeof sentence === 'string' && sentence.trim() !== '' && !/[\r\n]/.test(sentence);
      }),
      { numRuns: 2_000 },
    );
  });

  it('renders every valid event of every type from its template, never from the fallback', () => {
    fc.assert(
      fc.property(validEventArbitrary(catalog).filter(hasNoBlankValue), (event) => {
        const sentence = describeActivity(asActivity(event), catalog);
        const opening = catalog.get(event.type)?.sentence.split(/[{(]/)[0]?.trim() ?? '';
        return sentence.startsWith(opening) && sentence.length > 0;
      }),
      { numRuns: 300 },
    );
  });
});

/** A value of only spaces shows as nothing, which a sentence cannot do without: such events fall back. */
function hasNoBlankValue(event: ActivityEvent): boolean {
  const values = [event.data.entity?.id, ...Object.values(event.data.metadata).flat()];
  return values.every((value) => typeof value !== 'string' || value.trim() !== '');
}

/** A configured type, to render templates the built-in catalog has no use for. */
function podcastDefinition(sentence: string): ActivityTypeDefinition {
  return {
    type: 'podcast.played',
    meaning: 'A user played a podcast episode.',
    sentence,
    category: 'user-activity',
    actorTypes: ['user'],
    entityType: 'podcast_episode',
    metadataSchema: {
      type: 'object',
      properties: {
        speed: { type: 'number', description: 'Playback speed.', minimum: 0.5, maximum: 3 },
        isNew: { type: 'boolean', description: 'Whether it was a new episode.' },
      },
      additionalProperties: false,
    },
    analyticsKeys: [],
    example: toActivityEvent(
      {
        type: 'podcast.played',
        actor: { type: 'user', id: 'u_1' },
        entity: { type: 'podcast_episode', id: 'ep_9' },
        metadata: { speed: 1.5 },
      },
      {
        source: '/services/podcasts',
        id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
        time: '2026-11-22T01:53:46.123Z',
      },
    ),
  };
}
