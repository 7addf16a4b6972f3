import {
  createPseudonymizer,
  getDefaultActivityCatalog,
  toActivityEvent,
  type ActivityEvent,
} from '@chronicle/contracts';
import { toAnalyticsRow, toClickHouseTime } from './analytics-row.mapper';

const catalog = getDefaultActivityCatalog();
const pseudonymize = createPseudonymizer('s'.repeat(32));
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
      actor_key: pseudonymize('user', 'u_123'),
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

  it('pseudonymises an entity that is a person, with the key its actor events have', () => {
    const event = toActivityEvent(
      {
        type: 'account.flagged',
        actor: { type: 'service', id: 'moderation' },
        entity: { type: 'user', id: 'u_secret_77' },
        time: '2026-11-22T00:00:00Z',
      },
      { source: '/services/moderation', id: ID },
    );
    const row = toAnalyticsRow(event, catalog, pseudonymize, 0);
    expect(row).toMatchObject({ entity_type: 'user', entity_id: pseudonymize('user', 'u_secret_77') });
    expect(row.entity_id).toBe(
      toAnalyticsRow(review({ actorId: 'u_secret_77' }), catalog, pseudonymize, 0).actor_key,
    );
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

describe('toClickHouseTime', () => {
  it('formats a Date or epoch milliseconds in UTC', () => {
    expect(toClickHouseTime(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02 03:04:05.006');
    expect(toClickHouseTime(0)).toBe('1970-01-01 00:00:00.000');
  });

  it('refuses an invalid time', () => {
    expect(() => toClickHouseTime(Number.NaN)).toThrow('not a valid time: NaN');
  });
});
