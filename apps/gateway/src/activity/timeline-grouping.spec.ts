import { createActivityCatalog, type ActivityTypeDefinition } from '@chronicle/contracts';
import type { ActivityRecord } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';
import { groupByLocalDate, localDateFormatter, withSentence } from './timeline-grouping';

function activity(id: string, occurredAt: string): ActivityRecord {
  return {
    id,
    occurredAt,
    receivedAt: occurredAt,
    actor: { type: 'user', id: 'u_123' },
    type: 'app.viewed',
    entity: { type: 'app', id: 'app_42' },
    source: '/services/web',
    metadata: { referrer: 'search' },
    context: null,
  };
}

const dates = (days: { date: string; activities: ActivityRecord[] }[]) =>
  days.map((day) => [day.date, day.activities.map((a) => a.id)]);

describe('groupByLocalDate', () => {
  it('dates an activity by the local day of the time zone', () => {
    const late = [activity('a', '2026-11-22T23:30:00.000Z')];
    expect(dates(groupByLocalDate(late, 'Europe/Paris'))).toEqual([['2026-11-23', ['a']]]);
    expect(dates(groupByLocalDate(late, 'America/New_York'))).toEqual([['2026-11-22', ['a']]]);
    expect(dates(groupByLocalDate(late, 'UTC'))).toEqual([['2026-11-22', ['a']]]);
  });

  it('groups a page, newest first, keeping its order', () => {
    const page = [
      activity('a', '2026-11-23T08:00:00.000Z'),
      activity('b', '2026-11-22T23:30:00.000Z'),
      activity('c', '2026-11-22T12:00:00.000Z'),
      activity('d', '2026-11-21T22:59:59.999Z'),
      activity('e', '2026-11-20T09:00:00.000Z'),
    ];
    expect(dates(groupByLocalDate(page, 'Europe/Paris'))).toEqual([
      ['2026-11-23', ['a', 'b']],
      ['2026-11-22', ['c']],
      ['2026-11-21', ['d']],
      ['2026-11-20', ['e']],
    ]);
    expect(dates(groupByLocalDate(page, 'UTC'))).toEqual([
      ['2026-11-23', ['a']],
      ['2026-11-22', ['b', 'c']],
      ['2026-11-21', ['d']],
      ['2026-11-20', ['e']],
    ]);
  });

  it('keeps the activities themselves, each with the sentence of its type', () => {
    const record = activity('a', '2026-11-22T10:00:00.000Z');
    expect(groupByLocalDate([record], 'UTC')).toEqual([
      { date: '2026-11-22', activities: [{ ...record, sentence: 'Viewed app app_42' }] },
    ]);
  });

  it('follows daylight saving time', () => {
    // Paris is UTC+2 in summer: 22:30Z on 30 June is already 1 July there.
    expect(dates(groupByLocalDate([activity('a', '2026-06-30T22:30:00.000Z')], 'Europe/Paris'))).toEqual([
      ['2026-07-01', ['a']],
    ]);
  });

  it('has no days for no activities', () => {
    expect(groupByLocalDate([], 'Europe/Paris')).toEqual([]);
  });

  it.each(['Mars/Olympus_Mons', 'not a zone', 'Europe/Paris;DROP'])(
    'answers 400 on tz for the unknown zone %p',
    (zone) => {
      let caught: unknown;
      try {
        groupByLocalDate([activity('a', '2026-11-22T10:00:00.000Z')], zone);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FieldError);
      expect((caught as FieldError).field).toBe('tz');
      expect((caught as FieldError).message).toBe(
        'tz: must be an IANA time zone such as Europe/Paris or UTC',
      );
    },
  );
});

describe('localDateFormatter', () => {
  it('writes YYYY-MM-DD and reuses the formatter of a zone', () => {
    const formatter = localDateFormatter('Asia/Tokyo');
    expect(formatter.format(new Date('2026-01-05T20:00:00.000Z'))).toBe('2026-01-06');
    expect(localDateFormatter('Asia/Tokyo')).toBe(formatter);
  });
});

describe('withSentence', () => {
  const download: ActivityRecord = {
    ...activity('d', '2026-11-22T10:00:00.000Z'),
    type: 'download.initiated',
    metadata: { downloadId: 'dl_1', version: '3.4.1', sizeBytes: 1_000 },
  };

  it("adds the sentence of the type's template beside the raw fields, which stay as they are", () => {
    expect(withSentence(download)).toEqual({ ...download, sentence: 'Started downloading app_42 (3.4.1)' });
    expect(withSentence({ ...download, metadata: { downloadId: 'dl_1' } }).sentence).toBe(
      'Started downloading app_42',
    );
  });

  it('says something readable for a type the catalog no longer has', () => {
    expect(withSentence({ ...download, type: 'app.archived' }).sentence).toBe('App archived: app_42');
  });

  it("uses the deployment's catalog when given one", () => {
    const base = createActivityCatalog().get('app.viewed') as ActivityTypeDefinition;
    const archived: ActivityTypeDefinition = {
      ...base,
      type: 'app.archived',
      sentence: 'Archived app {entity.id}',
      example: { ...base.example, type: 'app.archived' },
    };
    const catalog = createActivityCatalog([archived]);
    expect(withSentence({ ...download, type: 'app.archived' }, catalog).sentence).toBe('Archived app app_42');
    expect(
      groupByLocalDate([{ ...download, type: 'app.archived' }], 'UTC', catalog)[0]?.activities[0],
    ).toEqual(expect.objectContaining({ sentence: 'Archived app app_42' }));
  });
});
