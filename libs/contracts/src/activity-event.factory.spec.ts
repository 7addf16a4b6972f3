import { toActivityEvent } from './activity-event.factory';
import { isUuidV7, uuidV7Timestamp } from './uuid-v7.util';
import { validateActivityEvent } from './validation/validate-activity-event';

const appViewed = {
  type: 'app.viewed',
  actor: { type: 'user' as const, id: 'u_123' },
  entity: { type: 'app', id: 'app_42' },
  metadata: { referrer: 'search' },
};

describe('toActivityEvent', () => {
  it('builds the CloudEvent an SDK call describes', () => {
    const event = toActivityEvent(appViewed, {
      source: '/services/app-catalog',
      id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
      time: new Date('2026-11-22T01:53:46.123Z'),
    });
    expect(event).toEqual({
      specversion: '1.0',
      id: '01a200f5-9c8b-7070-8ffe-e0005eed0000',
      source: '/services/app-catalog',
      type: 'app.viewed',
      time: '2026-11-22T01:53:46.123Z',
      subject: 'app/app_42',
      datacontenttype: 'application/json',
      data: {
        actor: { type: 'user', id: 'u_123' },
        entity: { type: 'app', id: 'app_42' },
        metadata: { referrer: 'search' },
      },
    });
    expect(validateActivityEvent(event)).toEqual({ ok: true, event });
  });

  it('fills in a new UUIDv7 and the current time', () => {
    const before = Date.now();
    const event = toActivityEvent(appViewed, { source: '/services/app-catalog' });
    const after = Date.now();
    expect(isUuidV7(event.id)).toBe(true);
    expect(uuidV7Timestamp(event.id)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.time)).toBeLessThanOrEqual(after);
    expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("prefers the caller's time to the SDK's, and writes it in UTC with milliseconds", () => {
    const fromString = toActivityEvent(
      { ...appViewed, time: '2026-11-22T02:53:46+01:00' },
      { source: '/s', time: new Date(0) },
    );
    expect(fromString.time).toBe('2026-11-22T01:53:46.000Z');
    const fromDate = toActivityEvent(
      { ...appViewed, time: new Date('2026-11-22T01:53:46.5Z') },
      { source: '/s' },
    );
    expect(fromDate.time).toBe('2026-11-22T01:53:46.500Z');
  });

  it('keeps an invalid time as given, so that validation names it', () => {
    const event = toActivityEvent({ ...appViewed, time: 'yesterday' }, { source: '/s' });
    expect(event.time).toBe('yesterday');
    expect(validateActivityEvent(event)).toEqual({
      ok: false,
      problems: [{ path: 'time', message: 'must be an RFC 3339 timestamp' }],
    });
    expect(toActivityEvent({ ...appViewed, time: new Date(NaN) }, { source: '/s' }).time).toBe(
      'Invalid Date',
    );
  });

  it('keeps an explicit subject, and leaves absent what was not given', () => {
    expect(toActivityEvent({ ...appViewed, subject: 'app/other' }, { source: '/s' }).subject).toBe(
      'app/other',
    );
    const search = toActivityEvent(
      {
        type: 'search.performed',
        actor: { type: 'user', id: 'u_1' },
        metadata: { query: 'maps', resultCount: 3 },
      },
      { source: '/s' },
    );
    expect(Object.keys(search)).not.toContain('subject');
    expect(Object.keys(search.data)).toEqual(['actor', 'metadata']);
  });

  it('defaults metadata to an empty object and passes context through', () => {
    const event = toActivityEvent(
      { type: 'user.logged_out', actor: { type: 'user', id: 'u_1' }, context: { requestId: 'r1' } },
      { source: '/s' },
    );
    expect(event.data).toEqual({
      actor: { type: 'user', id: 'u_1' },
      metadata: {},
      context: { requestId: 'r1' },
    });
  });
});
