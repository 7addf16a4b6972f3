import { createPseudonymizer, uuidv7 } from '@chronicle/contracts';
import { createTestDatabase, stackEnvironmentFromEnv, waitFor, type TestDatabase } from '@chronicle/stack';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { ActivityEventRow } from '../activity-event.row';
import { ActivityEventWriter } from '../activity-event.writer';
import { DAY_MS, partitionName, utcDayStart } from '../daily-partitions';
import { createEventsDataSource } from '../data-source';
import { migrateEventsStore } from '../migrate';

const newWriter = (dataSource: DataSource) =>
  new ActivityEventWriter(dataSource, {
    pseudonymize: createPseudonymizer('activity-queries-test-secret-32-bytes'),
  });
import type { ActivityFilter, ActivityKeyset } from './activity-filter';
import {
  ACTIVITY_CSV_COLUMNS,
  beginExport,
  exportActivities,
  exportStatement,
  type ExportFormat,
  type ExportStream,
} from './activity.export';
import { ActivityQueries } from './activity.queries';
import type { ActivityRecord } from './activity.record';

const NOW = Date.UTC(2026, 10, 22, 12);
const TYPES = ['app.viewed', 'app.installed', 'download.started', 'download.completed'];
const ACTORS = [
  ['user', 'u_1'],
  ['user', 'u_2'],
  ['service', 'svc_billing'],
  ['system', 'scheduler'],
] as const;
const SOURCES = ['/services/app-catalog', '/services/downloads'];
/** Every event of this millisecond: the pages must break the tie on the id. */
const TIE_MS = NOW - DAY_MS - 1234;
const NASTY_METADATA = {
  text: 'back\\slash "quoted" \'single\' new\nline tab\t cr\r',
  unicode: 'Grüße — 日本語 — 🎉 — \u2028\u2029',
  controls: '\u0001\u0002\u001f',
  nested: { list: [1, -2.5, null, true, 'x,y'], empty: {} },
  formula: '=1+1',
};

/** A small, varied set: every filter field takes several values, and entities are sometimes absent. */
function fixture(): ActivityEventRow[] {
  let seed = 42;
  const random = (n: number) => {
    // mulberry32: small, seeded, and its low bits are as good as its high ones.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const rows: ActivityEventRow[] = [];
  for (let i = 0; i < 240; i++) {
    const [actorType, actorId] = ACTORS[random(ACTORS.length)] as (typeof ACTORS)[number];
    const entity = random(3);
    const occurredAtMs = i < 40 ? TIE_MS : NOW - random(3 * DAY_MS);
    rows.push(
      row({
        occurredAtMs,
        actorType,
        actorId,
        activityType: TYPES[random(TYPES.length)] as string,
        entityType: entity === 0 ? null : entity === 1 ? 'app' : 'collection',
        entityId: entity === 0 ? null : `e_${random(4)}`,
        source: SOURCES[random(SOURCES.length)] as string,
        metadata: { position: i, referrer: 'search' },
        context: i % 2 ? { requestId: `req_${i}`, platform: 'web' } : null,
      }),
    );
  }
  // Cells a spreadsheet would run, or that need CSV quoting.
  rows.push(
    row({ actorId: 'u_1', entityType: 'app', entityId: '=HYPERLINK("x")', metadata: NASTY_METADATA }),
    row({ actorId: '-u_minus', entityType: '+plus', entityId: '@at', source: '=cmd|x' }),
    row({ actorId: '\tu_tab', entityType: 'app', entityId: '\rcr', context: { requestId: '-1' } }),
    row({ actorId: 'u,"comma"', entityType: 'app', entityId: 'two\nlines', metadata: { a: 'b' } }),
    // What spreadsheets skip or read as a formula too: spaces and quotes first, a line feed, full width.
    row({ actorId: ' =1+1', entityType: 'app', entityId: '"=HYPERLINK(1)', source: "'+1" }),
    row({ actorId: '\n=cmd', entityType: 'app', entityId: '＝HYPERLINK(2)', source: '\u3000＋1' }),
    row({ actorId: 'u_fine', entityType: 'app', entityId: ' plain text', source: '"quoted"' }),
  );
  return rows;
}

function row(fields: Partial<ActivityEventRow>): ActivityEventRow {
  const occurredAtMs = fields.occurredAtMs ?? NOW - 5_000;
  return {
    id: uuidv7(),
    occurredAtMs,
    receivedAtMs: occurredAtMs + 321,
    actorType: 'user',
    actorId: 'u_1',
    activityType: 'app.viewed',
    entityType: null,
    entityId: null,
    source: '/services/app-catalog',
    metadata: {},
    context: null,
    ...fields,
  };
}

const newestFirst = (a: ActivityEventRow, b: ActivityEventRow) =>
  b.occurredAtMs - a.occurredAtMs || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);

function matches(r: ActivityEventRow, f: ActivityFilter): boolean {
  return (
    (f.actorId === undefined || r.actorId === f.actorId) &&
    (f.actorType === undefined || r.actorType === f.actorType) &&
    (f.types === undefined || f.types.includes(r.activityType)) &&
    (f.entityType === undefined || r.entityType === f.entityType) &&
    (f.entityId === undefined || r.entityId === f.entityId) &&
    (f.source === undefined || r.source === f.source) &&
    (f.from === undefined || r.occurredAtMs >= f.from.getTime()) &&
    (f.to === undefined || r.occurredAtMs < f.to.getTime())
  );
}

function record(r: ActivityEventRow): ActivityRecord {
  return {
    id: r.id,
    occurredAt: new Date(r.occurredAtMs).toISOString(),
    receivedAt: new Date(r.receivedAtMs).toISOString(),
    actor: { type: r.actorType, id: r.actorId },
    type: r.activityType,
    entity: r.entityType !== null && r.entityId !== null ? { type: r.entityType, id: r.entityId } : null,
    source: r.source,
    metadata: r.metadata,
    context: r.context,
  };
}

// OWASP's rule, as a spreadsheet reads a cell: after leading spaces and quotes, full-width forms too.
const defuse = (value: string | null) =>
  value === null ? '' : /^([\t\r\n]|[\s"'＂＇]*[=+\-@＝＋－＠])/.test(value) ? `'${value}` : value;

async function readAll(stream: ExportStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('activity queries and exports (Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let queries: ActivityQueries;
  const rows = fixture();

  const expected = (filter: ActivityFilter) => rows.filter((r) => matches(r, filter)).sort(newestFirst);
  /** The connections of the pool that are lent out now. */
  const inUse = () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    return pool.totalCount - pool.idleCount;
  };

  beforeAll(async () => {
    database = await createTestDatabase(stackEnvironmentFromEnv().databaseUrl, 'activity_queries');
    dataSource = createEventsDataSource({ url: database.url, poolSize: 3 });
    await dataSource.initialize();
    await migrateEventsStore(dataSource);
    await newWriter(dataSource).write(rows);
    queries = new ActivityQueries(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function walk(filter: ActivityFilter, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: ActivityKeyset | undefined;
    let pages = 0;
    for (;;) {
      const page = await queries.page(filter, { limit, after });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((item) => item.id));
      if (!page.next) return { ids, pages };
      expect(page.items).toHaveLength(limit);
      expect(page.next).toEqual({
        occurredAt: new Date((page.items.at(-1) as ActivityRecord).occurredAt),
        id: (page.items.at(-1) as ActivityRecord).id,
      });
      after = page.next;
    }
  }

  const someTime = rows[100] as ActivityEventRow;
  const otherTime = rows[200] as ActivityEventRow;
  const [early, late] = [someTime, otherTime].sort((a, b) => a.occurredAtMs - b.occurredAtMs) as [
    ActivityEventRow,
    ActivityEventRow,
  ];
  const FILTERS: ActivityFilter[] = [
    {},
    { actorId: 'u_1' },
    { actorType: 'service' },
    { types: ['download.started'] },
    { types: ['download.started', 'download.completed'] },
    { entityType: 'collection' },
    { entityId: 'e_2' },
    { entityType: 'app', entityId: 'e_1' },
    { source: '/services/downloads' },
    // Bounds on rows' own times: `from` takes its row, `to` leaves its row out.
    { from: new Date(early.occurredAtMs) },
    { to: new Date(late.occurredAtMs) },
    { from: new Date(early.occurredAtMs), to: new Date(late.occurredAtMs) },
    { actorId: 'u_1', actorType: 'user', from: new Date(NOW - 2 * DAY_MS) },
    { actorId: 'u_2', types: ['app.viewed', 'app.installed'], source: '/services/app-catalog' },
    { entityType: 'app', types: ['app.viewed'], from: new Date(NOW - 2 * DAY_MS), to: new Date(NOW) },
    { actorId: 'nobody' },
  ];

  it.each(FILTERS)('narrows to exactly the matching rows, newest first: %j', async (filter) => {
    const want = expected(filter);
    const page = await queries.page(filter, { limit: 1000 });
    expect(page.items.map((item) => item.id)).toEqual(want.map((r) => r.id));
    expect(page.next).toBeNull();
  });

  it('the filters in the list narrow for real (the fixture has rows on both sides of each)', () => {
    for (const filter of FILTERS.slice(1, -1)) {
      const count = expected(filter).length;
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(rows.length);
    }
  });

  it.each([
    {},
    { actorId: 'u_1' },
    { types: ['app.viewed', 'download.started'], source: '/services/downloads' },
  ])('walks every matching row exactly once, in order, 7 at a time: %j', async (filter: ActivityFilter) => {
    const want = expected(filter).map((r) => r.id);
    const { ids, pages } = await walk(filter, 7);
    expect(ids).toEqual(want);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
  });

  it('breaks ties within one millisecond on the id, so pages across them lose and repeat nothing', async () => {
    const tied = rows.filter((r) => r.occurredAtMs === TIE_MS);
    expect(tied.length).toBeGreaterThanOrEqual(40);
    const filter = { from: new Date(TIE_MS), to: new Date(TIE_MS + 1) };
    for (const limit of [1, 3, 7, 39])
      expect((await walk(filter, limit)).ids).toEqual(expected(filter).map((r) => r.id));
    // A keyset in the middle of the tie continues right after it.
    const first = await queries.page(filter, { limit: 10 });
    const rest = await queries.page(filter, { limit: 1000, after: first.next as ActivityKeyset });
    expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(expected(filter).map((r) => r.id));
  });

  it('returns records in the API shape', async () => {
    const nasty = rows.find((r) => r.entityId === '=HYPERLINK("x")') as ActivityEventRow;
    const { items } = await queries.page(
      { actorId: 'u_1', entityId: nasty.entityId as string },
      { limit: 5 },
    );
    expect(items).toEqual([record(nasty)]);
    const noEntity = rows.find((r) => r.entityType === null) as ActivityEventRow;
    const found = await walk({ actorId: noEntity.actorId }, 1000);
    expect(found.ids).toContain(noEntity.id);
    const page = await queries.page({ actorId: noEntity.actorId }, { limit: 1000 });
    expect(page.items.find((item) => item.id === noEntity.id)).toEqual(record(noEntity));
  });

  it('sees rows of partitions made after its statements were planned, and none of those dropped', async () => {
    const filter: ActivityFilter = { actorId: 'u_planned', from: new Date(NOW - 30 * DAY_MS) };
    const ids = async () => (await queries.page(filter, { limit: 10 })).items.map((item) => item.id);
    // Enough pages that every pooled connection holds the statement past the custom plans Postgres
    // makes first (5), so the later pages run a cached plan.
    for (let i = 0; i < 24; i++) expect(await ids()).toEqual([]);
    const far = row({ actorId: 'u_planned', occurredAtMs: NOW + 400 * DAY_MS });
    const partition = partitionName(utcDayStart(far.occurredAtMs));
    try {
      await newWriter(dataSource).write([far]); // makes the partition of that day
      for (let i = 0; i < 6; i++) expect(await ids()).toEqual([far.id]);
    } finally {
      await dataSource.query(`DROP TABLE IF EXISTS ${partition}`);
    }
    for (let i = 0; i < 6; i++) expect(await ids()).toEqual([]);
  });

  it('refuses a limit outside 1..1000 and an empty type list', async () => {
    for (const limit of [0, -1, 1001, 2.5, Number.NaN])
      await expect(queries.page({}, { limit })).rejects.toThrow(RangeError);
    await expect(queries.page({ types: [] }, { limit: 10 })).rejects.toThrow(RangeError);
    await expect(exportActivities(dataSource, { types: [] }, 'csv')).rejects.toThrow(RangeError);
    expect(inUse()).toBe(0);
  });

  it('exports CSV that parses back to exactly the stored rows, newest first, formulas defused', async () => {
    const stream = await exportActivities(dataSource, {}, 'csv');
    const text = await readAll(stream);
    const [header, ...cells] = parse(text, { relax_column_count: false }) as string[][];
    expect(header).toEqual([...ACTIVITY_CSV_COLUMNS]);
    const want = expected({});
    expect(cells.map((c) => c[0])).toEqual(want.map((r) => r.id));
    cells.forEach((cell, i) => {
      const r = want[i] as ActivityEventRow;
      expect(cell.slice(0, 9)).toEqual([
        r.id,
        new Date(r.occurredAtMs).toISOString(),
        new Date(r.receivedAtMs).toISOString(),
        defuse(r.actorType),
        defuse(r.actorId),
        defuse(r.activityType),
        defuse(r.entityType),
        defuse(r.entityId),
        defuse(r.source),
      ]);
      expect(JSON.parse(cell[9] as string)).toEqual(r.metadata);
      expect(cell[10] === '' ? null : JSON.parse(cell[10] as string)).toEqual(r.context);
    });
    const byEntity = new Map(cells.map((c) => [c[7], c]));
    expect(byEntity.get(`'=HYPERLINK("x")`)).toBeDefined();
    expect(byEntity.get(`'@at`)?.[6]).toBe(`'+plus`);
    expect(byEntity.get(`'@at`)?.[8]).toBe(`'=cmd|x`);
    expect(byEntity.get(`'\rcr`)?.[4]).toBe(`'\tu_tab`);
    expect(byEntity.get('two\nlines')?.[4]).toBe('u,"comma"');
    // Actor id, entity id and source of the three rows of spreadsheet tricks.
    const tricks = (entityId: string) => {
      const cell = byEntity.get(entityId);
      return cell && [cell[4], cell[7], cell[8]];
    };
    expect(tricks(`'"=HYPERLINK(1)`)).toEqual([`' =1+1`, `'"=HYPERLINK(1)`, `''+1`]);
    expect(tricks(`'＝HYPERLINK(2)`)).toEqual([`'\n=cmd`, `'＝HYPERLINK(2)`, `'\u3000＋1`]);
    expect(tricks(' plain text')).toEqual(['u_fine', ' plain text', '"quoted"']);
    // A line break inside a quoted cell is not a row.
    expect(stream.rowsSent).toBe(rows.length);
    expect(inUse()).toBe(0);
  });

  it('exports a filtered CSV with the same rows as the pages', async () => {
    const filter: ActivityFilter = {
      types: ['download.started', 'download.completed'],
      from: new Date(NOW - DAY_MS),
    };
    const stream = await exportActivities(dataSource, filter, 'csv');
    const cells = (parse(await readAll(stream)) as string[][]).slice(1);
    expect(cells.map((c) => c[0])).toEqual(expected(filter).map((r) => r.id));
    expect(stream.rowsSent).toBe(expected(filter).length);
  });

  it('exports any stored texts and metadata as both formats, parsing back to the API records (property)', async () => {
    // Any character but NUL, which Postgres text cannot hold: COPY escapes, quotes, line breaks, formulas.
    const text = fc.string({ unit: 'binary', maxLength: 10 }).filter((value) => !value.includes('\0'));
    const stored = fc.record({
      occurredAtMs: fc.integer({ min: NOW - 2 * DAY_MS, max: NOW }),
      actorType: text,
      activityType: text,
      entity: fc.option(fc.tuple(text, text), { nil: null }),
      source: text,
      metadata: fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      context: fc.option(fc.dictionary(text, text, { minKeys: 1, maxKeys: 2 }), { nil: null }),
    });
    // Each run's rows have an actor of their own, deleted at the end: the other tests read the whole table.
    const actors: string[] = [];
    const check = fc.assert(
      fc.asyncProperty(text, fc.array(stored, { minLength: 1, maxLength: 5 }), async (actor, drawn) => {
        const actorId = `${actor}#${actors.length}`;
        actors.push(actorId);
        await newWriter(dataSource).write(
          drawn.map(({ entity, ...fields }) =>
            row({
              ...fields,
              actorId,
              entityType: entity?.[0] ?? null,
              entityId: entity?.[1] ?? null,
              metadata: fields.metadata as Record<string, unknown>,
            }),
          ),
        );
        const filter = { actorId };
        const records = (await queries.page(filter, { limit: 1000 })).items;
        expect(records).toHaveLength(drawn.length);

        const ndjson = await readAll(await exportActivities(dataSource, filter, 'ndjson'));
        expect(ndjson.endsWith('\n')).toBe(true);
        expect(
          ndjson
            .slice(0, -1)
            .split('\n')
            .map((line) => JSON.parse(line)),
        ).toEqual(records);

        const [header, ...cells] = parse(
          await readAll(await exportActivities(dataSource, filter, 'csv')),
        ) as string[][];
        expect(header).toEqual([...ACTIVITY_CSV_COLUMNS]);
        expect(
          cells.map((cell) => [
            ...cell.slice(0, 9),
            JSON.parse(cell[9] as string),
            cell[10] === '' ? null : JSON.parse(cell[10] as string),
          ]),
        ).toEqual(
          records.map((r) => [
            r.id,
            r.occurredAt,
            r.receivedAt,
            defuse(r.actor.type),
            defuse(r.actor.id),
            defuse(r.type),
            defuse(r.entity?.type ?? null),
            defuse(r.entity?.id ?? null),
            defuse(r.source),
            r.metadata,
            r.context,
          ]),
        );
      }),
      { numRuns: 25 },
    );
    try {
      await check;
    } finally {
      await dataSource.query('DELETE FROM activity_events WHERE actor_id = ANY($1)', [actors]);
    }
    expect(inUse()).toBe(0);
  });

  it('exports NDJSON whose lines parse back to the records, whatever the metadata holds', async () => {
    const stream = await exportActivities(dataSource, {}, 'ndjson');
    const text = await readAll(stream);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(expected({}).map(record));
    const nasty = lines.map((line) => JSON.parse(line) as ActivityRecord).find((r) => r.metadata['formula']);
    expect(nasty?.metadata).toEqual(NASTY_METADATA);
    expect(stream.rowsSent).toBe(rows.length);

    const filter: ActivityFilter = { actorId: 'u_2', entityType: 'app' };
    const filtered = await exportActivities(dataSource, filter, 'ndjson');
    const records = (await readAll(filtered))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toEqual((await queries.page(filter, { limit: 1000 })).items);
    expect(filtered.rowsSent).toBe(records.length);
  });

  // A sort before the first row makes a large download wait for all of it (the CSV's ORDER BY once
  // named its formatted `occurred_at` column, which no index orders: 35 s at 4.8M rows).
  it('streams exports in index order: no filter makes Postgres sort', async () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const client = await pool.connect();
    try {
      for (const filter of FILTERS) {
        const statement = exportStatement(filter);
        await beginExport(client, statement);
        const [{ 'QUERY PLAN': plan }] = (
          await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.select}`)
        ).rows as [{ 'QUERY PLAN': unknown }];
        await client.query('ROLLBACK');
        expect({ filter, sorts: nodeTypes(plan).filter((type) => type.includes('Sort')) }).toEqual({
          filter,
          sorts: [],
        });
      }
    } finally {
      client.release();
    }
  });

  it('gives the connection back when an export ends with nothing to send', async () => {
    const stream = await exportActivities(dataSource, { actorId: 'nobody' }, 'csv');
    expect(await readAll(stream)).toBe(`${ACTIVITY_CSV_COLUMNS.join(',')}\n`);
    expect(stream.rowsSent).toBe(0);
    expect(inUse()).toBe(0);
  });

  describe('when the reader goes away or the connection dies mid-way', () => {
    // Enough bytes that Postgres is still sending, blocked on the socket, when the export is cut short.
    const bulk = Array.from({ length: 10_000 }, (_, i) =>
      row({
        actorId: 'u_bulk',
        occurredAtMs: NOW - 3 * DAY_MS - i,
        metadata: { padding: 'x'.repeat(2_000) },
      }),
    );
    const copying = async (): Promise<number[]> =>
      (
        await dataSource.query(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'`,
        )
      ).map((r: { pid: number }) => r.pid);

    async function started(format: ExportFormat): Promise<ExportStream> {
      const stream = await exportActivities(dataSource, { actorId: 'u_bulk' }, format);
      const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
      expect(first.length).toBeGreaterThan(0);
      stream.pause();
      expect(await copying()).toHaveLength(1);
      return stream;
    }

    beforeAll(() => newWriter(dataSource).write(bulk));

    it.each(['csv', 'ndjson'] as const)(
      'closes the connection of a destroyed %s export: no pooled client or backend leaks',
      async (format) => {
        const stream = await started(format);
        const closed = new Promise((resolve) => stream.once('close', resolve));
        stream.destroy();
        await closed;
        expect(inUse()).toBe(0);
        await waitFor(async () => (await copying()).length === 0, {
          timeoutMs: 5_000,
          what: 'the COPY backend to end',
        });
        expect(stream.rowsSent).toBeLessThan(bulk.length);
        // The pool still lends every connection it has.
        const pids = await Promise.all(
          [1, 2, 3].map(() => dataSource.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')),
        );
        expect(new Set(pids.map((r) => r[0].pid)).size).toBe(3);
      },
    );

    it('fails the stream and drops the connection when the server ends the COPY', async () => {
      const stream = await started('csv');
      const failed = new Promise<Error>((resolve) => stream.once('error', resolve));
      await dataSource.query('SELECT pg_terminate_backend($1)', [(await copying())[0]]);
      stream.resume();
      expect((await failed).message).toMatch(/terminat/i);
      expect(inUse()).toBe(0);
      expect(await dataSource.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });
  });
});

/** Every node type of an EXPLAIN (FORMAT JSON) plan. */
function nodeTypes(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(nodeTypes);
  if (typeof plan !== 'object' || plan === null) return [];
  const node = plan as { 'Node Type'?: string; Plan?: unknown; Plans?: unknown };
  return [
    ...(node['Node Type'] ? [node['Node Type']] : []),
    ...nodeTypes(node.Plan),
    ...nodeTypes(node.Plans),
  ];
}
