import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asActivityEvent, readLedger, toLedgerEvent } from './ledger';
import { appViewed } from './driver-records';

describe('the ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-ledger-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads published events and sums the drops by reason', async () => {
    const file = join(dir, 'ledger.ndjson');
    const published = {
      outcome: 'published',
      id: 'i1',
      time: '2026-12-06T10:00:00.000Z',
      type: 'app.viewed',
      actor: { type: 'user', id: 'u' },
      entity: { type: 'app', id: 'a' },
    };
    writeFileSync(
      file,
      [
        JSON.stringify(published),
        JSON.stringify({ outcome: 'dropped', reason: 'queue_full', count: 1, id: 'i2' }),
        JSON.stringify({ outcome: 'dropped', reason: 'queue_full', count: 2 }),
        JSON.stringify({ outcome: 'dropped', reason: 'shutdown', count: 1 }),
        '',
      ].join('\n'),
    );
    const ledger = await readLedger(file);
    expect(ledger.published).toEqual([
      {
        id: 'i1',
        time: published.time,
        type: 'app.viewed',
        actor: published.actor,
        entity: published.entity,
      },
    ]);
    expect(ledger.dropped).toEqual({ queue_full: 3, shutdown: 1 });
  });

  it('turns an event into a ledger line and back into what the reference reads', () => {
    const event = appViewed('u_1', 'app_1', 0);
    const back = asActivityEvent(toLedgerEvent(event));
    expect(back).toMatchObject({
      id: event.id,
      type: event.type,
      time: event.time,
      data: { actor: event.data.actor, entity: event.data.entity },
    });
    expect(
      asActivityEvent({ id: 'x', time: event.time, type: 'job.failed', actor: { type: 'system', id: 's' } })
        .data,
    ).not.toHaveProperty('entity');
  });
});
