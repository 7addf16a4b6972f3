import { toActivityEvent, type ActivityInput } from '@chronicle/contracts';
import type { ActivityFilter } from '@chronicle/events-store';
import { matchesFilter, toActivityRecord } from './activity-match';

const ID = '019350a2-7c4e-7b1a-8f3d-2a5b6c7d8e9f';

function event(input: Partial<ActivityInput> = {}, source = '/services/web') {
  return toActivityEvent(
    {
      type: 'app.viewed',
      actor: { type: 'user', id: 'u_123' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { durationMs: 1200 },
      time: '2026-11-22T10:00:00.000Z',
      ...input,
    },
    { source, id: ID },
  );
}

describe('matchesFilter', () => {
  it('passes every event through an empty filter', () => {
    expect(matchesFilter(event(), {})).toBe(true);
  });

  it.each<[string, ActivityFilter, ActivityFilter]>([
    ['actorId', { actorId: 'u_123' }, { actorId: 'u_999' }],
    ['actorType', { actorType: 'user' }, { actorType: 'service' }],
    ['types', { types: ['favorite.added', 'app.viewed'] }, { types: ['favorite.added'] }],
    ['entityType', { entityType: 'app' }, { entityType: 'collection' }],
    ['entityId', { entityId: 'app_42' }, { entityId: 'app_43' }],
    ['source', { source: '/services/web' }, { source: '/services/tv-app' }],
  ])('filters on %s', (_field, passing, failing) => {
    expect(matchesFilter(event(), passing)).toBe(true);
    expect(matchesFilter(event(), failing)).toBe(false);
  });

  it('takes from as inclusive and to as exclusive, like a search', () => {
    const at = new Date('2026-11-22T10:00:00.000Z');
    const before = new Date(at.getTime() - 1);
    const after = new Date(at.getTime() + 1);
    expect(matchesFilter(event(), { from: at })).toBe(true);
    expect(matchesFilter(event(), { from: after })).toBe(false);
    expect(matchesFilter(event(), { to: after })).toBe(true);
    expect(matchesFilter(event(), { to: at })).toBe(false);
    expect(matchesFilter(event(), { from: before, to: after })).toBe(true);
  });

  it('compares instants, whatever the offset the event was written with', () => {
    const paris = event({ time: '2026-11-22T11:00:00+01:00' });
    expect(matchesFilter(paris, { from: new Date('2026-11-22T10:00:00.000Z') })).toBe(true);
    expect(matchesFilter(paris, { to: new Date('2026-11-22T10:00:00.000Z') })).toBe(false);
  });

  it('does not pass an event without an entity through an entity filter', () => {
    const search = event({ type: 'search.performed', entity: undefined });
    expect(matchesFilter(search, {})).toBe(true);
    expect(matchesFilter(search, { entityType: 'app' })).toBe(false);
    expect(matchesFilter(search, { entityId: 'app_42' })).toBe(false);
  });

  it('needs every filter to pass', () => {
    const filter: ActivityFilter = { actorId: 'u_123', types: ['app.viewed'], source: '/services/web' };
    expect(matchesFilter(event(), filter)).toBe(true);
    expect(matchesFilter(event({}, '/services/tv-app'), filter)).toBe(false);
    expect(matchesFilter(event({ actor: { type: 'user', id: 'u_999' } }), filter)).toBe(false);
  });
});

describe('toActivityRecord', () => {
  const receivedAt = new Date('2026-11-22T10:00:01.500Z');

  it('gives the event the shape of a stored activity', () => {
    const record = toActivityRecord(event({ context: { requestId: 'req-1', platform: 'web' } }), receivedAt);
    expect(record).toEqual({
      id: ID,
      occurredAt: '2026-11-22T10:00:00.000Z',
      receivedAt: '2026-11-22T10:00:01.500Z',
      actor: { type: 'user', id: 'u_123' },
      type: 'app.viewed',
      entity: { type: 'app', id: 'app_42' },
      source: '/services/web',
      metadata: { durationMs: 1200 },
      context: { requestId: 'req-1', platform: 'web' },
    });
  });

  it('has a null entity and context, and empty metadata, when the event has none', () => {
    const record = toActivityRecord(event({ entity: undefined, metadata: undefined }), receivedAt);
    expect(record.entity).toBeNull();
    expect(record.context).toBeNull();
    expect(record.metadata).toEqual({});
  });

  it('keeps only the type and id of actor and entity', () => {
    const withExtras = event();
    Object.assign(withExtras.data.actor, { email: 'someone@example.com' });
    Object.assign(withExtras.data.entity ?? {}, { name: 'Some App' });
    const record = toActivityRecord(withExtras, receivedAt);
    expect(record.actor).toEqual({ type: 'user', id: 'u_123' });
    expect(record.entity).toEqual({ type: 'app', id: 'app_42' });
  });
});
