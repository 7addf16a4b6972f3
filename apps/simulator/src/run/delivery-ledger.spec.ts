import { toActivityEvent, type ActivityEvent } from '@chronicle/contracts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DeliveryLedger } from './delivery-ledger';

const SOURCE = '/services/app-store';
const TIME = '2026-11-22T12:00:00.000Z';

const viewed = (n: number): ActivityEvent =>
  toActivityEvent(
    {
      type: 'app.viewed',
      actor: { type: 'user', id: `u_${n}` },
      entity: { type: 'app', id: `a_${n % 10}` },
      metadata: { referrer: 'search' },
      time: TIME,
    },
    { source: SOURCE },
  );
const loggedOut = (n: number): ActivityEvent =>
  toActivityEvent(
    {
      type: 'user.logged_out',
      actor: { type: 'user', id: `u_${n}` },
      metadata: { reason: 'user' },
      time: TIME,
    },
    { source: '/services/media-server' },
  );

describe('DeliveryLedger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chronicle-ledger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readLines = (path: string): Array<Record<string, unknown>> =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('writes one line per published event, with its id, time, type, actor and entity (if any)', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    const [first, second] = [viewed(1), loggedOut(2)];

    ledger.published([first, second]);
    await ledger.close();

    expect(readFileSync(path, 'utf8')).toBe(
      `{"outcome":"published","id":"${first.id}","time":"${TIME}","type":"app.viewed",` +
        `"actor":{"type":"user","id":"u_1"},"entity":{"type":"app","id":"a_1"}}\n` +
        `{"outcome":"published","id":"${second.id}","time":"${TIME}","type":"user.logged_out",` +
        `"actor":{"type":"user","id":"u_2"}}\n`,
    );
    expect(ledger.summary()).toEqual({ path, published: 2, dropped: 0 });
  });

  it('writes a dropped event with its reason and count 1, and drops without events as one line with the count', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    const [full, shutdownA, shutdownB] = [viewed(1), viewed(2), viewed(3)];

    ledger.dropped('queue_full', 1, [full]);
    ledger.dropped('invalid', 1, []);
    ledger.dropped('shutdown', 2, [shutdownA, shutdownB]);
    ledger.dropped('closed', 3, []);
    await ledger.close();

    expect(readLines(path)).toEqual([
      {
        outcome: 'dropped',
        reason: 'queue_full',
        count: 1,
        id: full.id,
        time: TIME,
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_1' },
        entity: { type: 'app', id: 'a_1' },
      },
      { outcome: 'dropped', reason: 'invalid', count: 1 },
      expect.objectContaining({ outcome: 'dropped', reason: 'shutdown', count: 1, id: shutdownA.id }),
      expect.objectContaining({ outcome: 'dropped', reason: 'shutdown', count: 1, id: shutdownB.id }),
      { outcome: 'dropped', reason: 'closed', count: 3 },
    ]);
    expect(ledger.summary()).toMatchObject({ published: 0, dropped: 7 });
  });

  it('keeps the count of a report that holds only some of its events', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    const event = viewed(1);

    ledger.dropped('invalid', 3, [event]);
    await ledger.close();

    expect(readLines(path)).toEqual([
      expect.objectContaining({ reason: 'invalid', count: 1, id: event.id }),
      { outcome: 'dropped', reason: 'invalid', count: 2 },
    ]);
  });

  it('writes an invalid event reported dropped without the parts it lacks', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    const event = { ...viewed(1), data: { metadata: {} } } as unknown as ActivityEvent;

    ledger.dropped('invalid', 1, [event]);
    await ledger.close();

    expect(readLines(path)).toEqual([
      { outcome: 'dropped', reason: 'invalid', count: 1, id: event.id, time: TIME, type: 'app.viewed' },
    ]);
  });

  it('writes a minute of 2,000 events a second in a small part of that minute, in order, every line whole', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    const total = 120_000;
    const batch = viewed(0);
    const events = Array.from({ length: 500 }, (_, i) => ({ ...batch, id: `id_${i}` }));
    const began = Date.now();
    // As the SDK reports them: batches of published events between turns of the event loop.
    for (let sent = 0; sent < total; sent += events.length) {
      ledger.published(events);
      if (sent % 10_000 === 0) await nextTurn();
    }
    ledger.dropped('shutdown', 1, [viewed(1)]);
    await ledger.close();
    const seconds = (Date.now() - began) / 1000;

    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(total + 1);
    expect(JSON.parse(lines[total - 1] as string)).toMatchObject({ outcome: 'published', id: 'id_499' });
    expect(JSON.parse(lines[total] as string)).toMatchObject({ outcome: 'dropped', reason: 'shutdown' });
    // ~0.5 s here: ten minutes' worth (1.2 million lines, 230 MB) takes ~5 s.
    expect(seconds).toBeLessThan(6);
  });

  it('ignores reports after close, and closes once', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    ledger.published([viewed(1)]);
    const closing = ledger.close();
    ledger.published([viewed(2)]);
    ledger.dropped('closed', 1, []);

    expect(ledger.close()).toBe(closing);
    await closing;
    expect(readLines(path)).toHaveLength(1);
    expect(ledger.summary()).toMatchObject({ published: 1, dropped: 0 });
  });

  it('refuses a path it cannot write, naming the option', async () => {
    await expect(DeliveryLedger.open(join(dir, 'missing', 'ledger.ndjson'))).rejects.toThrow(
      /^--ledger: cannot write .*missing\/ledger\.ndjson: ENOENT/,
    );
  });

  it('fails its close when the file could not be written', async () => {
    const path = join(dir, 'ledger.ndjson');
    const ledger = await DeliveryLedger.open(path);
    (ledger as unknown as { stream: NodeJS.EventEmitter & { destroy(error: Error): void } }).stream.destroy(
      new Error('ENOSPC: no space left on device'),
    );
    ledger.published([viewed(1)]);
    await nextTurn();

    await expect(ledger.close()).rejects.toThrow(
      `--ledger: writing ${path} failed: ENOSPC: no space left on device`,
    );
  });
});
