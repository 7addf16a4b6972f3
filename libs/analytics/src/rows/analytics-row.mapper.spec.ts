import { getDefaultActivityCatalog, toActivityEvent, type ActivityEvent } from '@chronicle/contracts';
import { createActorPseudonymizer } from '../pseudonymizer/actor-pseudonymizer';
import { toAnalyticsRow, toClickHouseTime, toDirectoryRow, toDirectoryRows } from './analytics-row.mapper';

const catalog = getDefaultActivityCatalog();
const pseudonymize = createActorPseudonymizer('s'.repeat(32));
const ID = '019aa5b1-2c3d-7e4f-8a5b-6c7d8e9f0a1b';

const review = (overrides: { time?: string; actorId?: string } = {}): ActivityEvent =>
  toActivityEvent(
    {
      type: 'review.submitted',
      actor: { type: 'user', id: overrides.actorId ?? 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { rating: 4, hasText: true, textLength: 212, isEdit: false },
      context: { requestId: 'req_1', sessionId: 'sess_1' },
      time: overrides.time ?? '2026-11-22T03:53:46.123+02:00',
    },
    { source: '/services/reviews', id: ID },
  );

describe('toAnalyticsRow', () => {
  it('maps an event to its events row: pseudonymous actor, UTC time, analytics metadata only', () => {
    expect(toAnalyticsRow(review(), catalog, pseudonymize, Date.parse('2026-11-22T01:54:00.5Z'))).toEqual({
      event_id: ID,
      occurred_at: '2026-11-22 01:53:46.123',
      actor_key: pseudonymize('u_123'),
      actor_type: 'user',
      activity_type: 'review.submitted',
      entity_type: 'app',
      entity_id: 'app_42',
      source: '/services/reviews',
      // textLength is not an analytics key of review.submitted, and context is never kept.
      metadata: '{"rating":4,"hasText":true,"isEdit":false}',
      ingested_at: '2026-11-22 01:54:00.500',
    });
  });

  it('never carries the actor id', () => {
    const row = toAnalyticsRow(review({ actorId: 'u_secret_77' }), catalog, pseudonymize, new Date());
    expect(JSON.stringify(row)).not.toContain('u_secret_77');
  });

  it('writes empty entity columns for an event without an entity', () => {
    const search = toActivityEvent(
      {
        type: 'search.performed',
        actor: { type: 'user', id: 'u_1' },
        metadata: { query: 'photo editor', resultCount: 3, scope: 'apps', page: 1 },
        time: '2026-11-22T00:00:00Z',
      },
      { source: '/services/search', id: ID },
    );
    const row = toAnalyticsRow(search, catalog, pseudonymize, new Date('2026-11-22T00:00:01Z'));
    expect(row).toMatchObject({ entity_type: '', entity_id: '', occurred_at: '2026-11-22 00:00:00.000' });
    // The free-text query is not an analytics key.
    expect(JSON.parse(row.metadata)).toEqual({ resultCount: 3, scope: 'apps', page: 1 });
  });

  it('keeps no metadata for a type the catalog does not know', () => {
    const event = { ...review(), type: 'custom.thing' };
    expect(toAnalyticsRow(event, catalog, pseudonymize, 0).metadata).toBe('{}');
  });

  it('refuses an event whose time is not RFC 3339, naming it', () => {
    expect(() => toAnalyticsRow({ ...review(), time: 'yesterday' }, catalog, pseudonymize, 0)).toThrow(
      `event ${ID} has no valid RFC 3339 time: "yesterday"`,
    );
  });
});

describe('toDirectoryRow', () => {
  it("maps the event's actor to its directory row, last seen at the event's time", () => {
    expect(toDirectoryRow(review(), pseudonymize)).toEqual({
      actor_key: pseudonymize('u_123'),
      actor_id: 'u_123',
      actor_type: 'user',
      last_seen: '2026-11-22 01:53:46.123',
    });
  });

  it('keeps one row per actor of a batch, the latest sighting', () => {
    const rows = toDirectoryRows(
      [
        review({ time: '2026-11-22T10:00:00Z' }),
        review({ time: '2026-11-22T12:00:00Z' }),
        review({ time: '2026-11-22T11:00:00Z' }),
        review({ actorId: 'u_9', time: '2026-11-21T00:00:00Z' }),
      ],
      pseudonymize,
    );
    expect(rows).toEqual([
      expect.objectContaining({ actor_id: 'u_123', last_seen: '2026-11-22 12:00:00.000' }),
      expect.objectContaining({ actor_id: 'u_9', last_seen: '2026-11-21 00:00:00.000' }),
    ]);
  });
});

describe('toClickHouseTime', () => {
  it('formats a Date or epoch milliseconds in UTC', () => {
    expect(toClickHouseTime(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02 03:04:05.006');
    expect(toClickHouseTime(0)).toBe('1970-01-01 00:00:00.000');
  });

  it('refuses an invalid time', () => {
    expect(() => toClickHouseTime(Number.NaN)).toThrow('not a valid time: NaN');
  });
});
