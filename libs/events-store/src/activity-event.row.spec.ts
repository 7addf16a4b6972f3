import { getDefaultActivityCatalog, type ActivityEvent } from '@chronicle/contracts';
import { escapeCopyText, toActivityEventRow, toCopyLine } from './activity-event.row';

describe('activity event rows', () => {
  const example = getDefaultActivityCatalog().get('review.submitted')?.example as ActivityEvent;
  const received = Date.UTC(2026, 10, 22, 5);

  it('maps the event onto the columns', () => {
    const row = toActivityEventRow(example, received);
    expect(row).toMatchObject({
      id: example.id,
      occurredAtMs: Date.parse(example.time),
      receivedAtMs: received,
      actorType: example.data.actor.type,
      actorId: example.data.actor.id,
      activityType: 'review.submitted',
      entityType: example.data.entity?.type,
      entityId: example.data.entity?.id,
      source: example.source,
      metadata: example.data.metadata,
    });
  });

  it('stores no entity and no empty context as null', () => {
    const event = { ...example, data: { ...example.data, entity: undefined, context: {} } } as ActivityEvent;
    const row = toActivityEventRow(event, received);
    expect([row.entityType, row.entityId, row.context]).toEqual([null, null, null]);
    expect(toCopyLine(row).split('\t').slice(6, 8)).toEqual(['\\N', '\\N']);
    expect(toCopyLine(row).endsWith('\t\\N\n')).toBe(true);
  });

  it('escapes the characters COPY text format gives a meaning to', () => {
    expect(escapeCopyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(escapeCopyText('plain')).toBe('plain');
  });

  it('writes one line of eleven columns, even when metadata holds tabs and newlines', () => {
    const event = {
      ...example,
      data: { ...example.data, metadata: { ...example.data.metadata, comment: 'line one\n\tline two' } },
    } as ActivityEvent;
    const line = toCopyLine(toActivityEventRow(event, received));
    expect(line.split('\n')).toHaveLength(2);
    expect(line.slice(0, -1).split('\t')).toHaveLength(11);
  });
});
