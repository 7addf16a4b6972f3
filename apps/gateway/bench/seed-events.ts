// Seeds the gateway benchmark's database: millions of plausible events written by Postgres itself
// (INSERT … SELECT … FROM generate_series), so that seeding takes minutes rather than an hour.
import { getDefaultActivityCatalog, type ActivityTypeInfo } from '@chronicle/contracts';
import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;
const MIX_SLOTS = 1_000;

/**
 * Events per thousand, by type: mostly people browsing the store, then searches, downloads and
 * sessions, with the media server's scans and jobs beside them. Every built-in type has a share, so
 * the admin type filters see the catalog as it is.
 */
export const ACTIVITY_MIX_PER_THOUSAND: Readonly<Record<string, number>> = {
  'app.viewed': 480,
  'search.performed': 96,
  'download.initiated': 62,
  'download.completed': 52,
  'download.failed': 6,
  'media_item.added': 60,
  'user.logged_in': 50,
  'user.logged_out': 42,
  'job.started': 38,
  'job.completed': 34,
  'job.failed': 4,
  'favorite.added': 25,
  'app.shared': 15,
  'review.submitted': 12,
  'favorite.removed': 8,
  'collection.created': 5,
  'profile.updated': 5,
  'settings.updated': 2,
  'health_check.failed': 2,
  'admin.activities_viewed': 1,
  'admin.activities_exported': 1,
};

/** Which service produces a type: the store's own, or the media server's (scans, jobs, its settings). */
function sourceOf(type: string): string {
  if (type.startsWith('admin.')) return '/services/gateway';
  return /^(media_item|job|health_check|settings)\./.test(type)
    ? '/services/media-server'
    : '/services/app-store';
}

/** Machines act for the types people never perform, and for library scans; people for the rest. */
const MACHINE_ACTORS: Readonly<Record<string, string>> = {
  'media_item.added': 'library-scanner',
  'job.started': 'scheduler',
  'job.completed': 'scheduler',
  'job.failed': 'scheduler',
  'health_check.failed': 'health-monitor',
  'settings.updated': 'config-sync',
};

/** Entity ids per entity type: a prefix and how many distinct ones there are. */
const ENTITY_POOLS: Readonly<Record<string, { prefix: string; count: number }>> = {
  app: { prefix: 'app_', count: 5_000 },
  media_item: { prefix: 'mi_', count: 200_000 },
  collection: { prefix: 'col_', count: 50_000 },
  component: { prefix: 'cmp_', count: 20 },
  settings_section: { prefix: 'settings_', count: 12 },
};

const REFERRERS = ['search', 'home', 'category', 'collection', 'share_link', 'notification', 'direct'];
const PLATFORMS = ['ios', 'android', 'web', 'tv'];

/** One row of the mix table: what an event drawn at this slot looks like, apart from who, when and which entity. */
interface MixSlot {
  slot: number;
  activityType: string;
  actorType: string;
  /** null: a user, drawn per event. */
  actorId: string | null;
  entityType: string | null;
  entityPrefix: string | null;
  entityCount: number;
  source: string;
  metadata: string;
  context: string | null;
}

/**
 * The mix as MIX_SLOTS slots, each type taking as many as its share: an event draws one slot, so a
 * type's weight costs Postgres a hash lookup rather than a search. Metadata comes from the catalog's
 * example (valid for its schema by construction); app.viewed's varies by slot so that it is not all alike.
 */
export function activityMixSlots(): MixSlot[] {
  const catalog = getDefaultActivityCatalog();
  const definitions = catalog.definitions();
  const missing = definitions.filter((d) => !(d.type in ACTIVITY_MIX_PER_THOUSAND)).map((d) => d.type);
  const unknown = Object.keys(ACTIVITY_MIX_PER_THOUSAND).filter((type) => !catalog.get(type));
  const total = Object.values(ACTIVITY_MIX_PER_THOUSAND).reduce((sum, share) => sum + share, 0);
  if (missing.length > 0 || unknown.length > 0 || total !== MIX_SLOTS)
    throw new Error(
      `the benchmark's activity mix is out of date: missing ${missing.join(', ') || 'none'}, ` +
        `unknown ${unknown.join(', ') || 'none'}, shares add up to ${total} (want ${MIX_SLOTS})`,
    );
  const slots: MixSlot[] = [];
  for (const definition of definitions)
    for (let i = 0; i < (ACTIVITY_MIX_PER_THOUSAND[definition.type] ?? 0); i++)
      slots.push(mixSlot(definition, slots.length, i));
  return slots;
}

function mixSlot(definition: ActivityTypeInfo, slot: number, nth: number): MixSlot {
  const machine = MACHINE_ACTORS[definition.type];
  const pool = definition.entityType ? ENTITY_POOLS[definition.entityType] : undefined;
  if (definition.entityType && !pool) throw new Error(`no entity ids for ${definition.entityType}`);
  const metadata =
    definition.type === 'app.viewed'
      ? { referrer: REFERRERS[nth % REFERRERS.length], position: nth % 24 }
      : definition.example.data.metadata;
  return {
    slot,
    activityType: definition.type,
    actorType: machine ? 'system' : 'user',
    actorId: machine ?? null,
    entityType: definition.entityType ?? null,
    entityPrefix: pool?.prefix ?? null,
    entityCount: pool?.count ?? 0,
    source: sourceOf(definition.type),
    metadata: JSON.stringify(metadata),
    context: machine ? null : JSON.stringify({ platform: PLATFORMS[nth % PLATFORMS.length] }),
  };
}

export interface SeedOptions {
  events: number;
  users: number;
  days: number;
  chunkRows: number;
  nowMs: number;
  progress: (line: string) => void;
}

/**
 * Fills `activity_events` with `events` rows over the last `days` days. Users are drawn as
 * `u_<floor(users · r²)>`, r uniform: user u_0 is the most active and activity falls off with rank
 * (the busiest 1% of users make about 10% of the events, as in most products). Entities are skewed
 * the same way (popular apps). Returns the seconds it took.
 *
 * Chunk k covers the k-th slice of the time range, so each chunk lands in a day or two's partitions
 * and their indexes: the inserts stay in cache instead of touching every partition's every index.
 */
export async function seedActivityEvents(dataSource: DataSource, options: SeedOptions): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const started = process.hrtime.bigint();
  try {
    // random() on this connection only: seeded, so that every run stores the same events.
    await runner.query('SELECT setseed(0.2026)');
    await createMixTable(runner.query.bind(runner));
    const chunks = Math.ceil(options.events / options.chunkRows);
    const sliceMs = (options.days * DAY_MS) / chunks;
    const firstMs = options.nowMs - options.days * DAY_MS;
    for (let chunk = 0; chunk < chunks; chunk++) {
      const first = chunk * options.chunkRows;
      const last = Math.min(options.events, first + options.chunkRows) - 1;
      const chunkStarted = process.hrtime.bigint();
      await runner.query(INSERT_CHUNK, [
        first,
        last,
        options.users,
        new Date(firstMs + chunk * sliceMs).toISOString(),
        `${Math.floor(sliceMs)} milliseconds`,
      ]);
      const chunkSeconds = secondsSince(chunkStarted);
      const seconds = secondsSince(started);
      options.progress(
        `seeded ${(last + 1).toLocaleString('en-US')} / ${options.events.toLocaleString('en-US')} rows ` +
          `(chunk ${chunk + 1}/${chunks}: ${Math.round((last - first + 1) / chunkSeconds).toLocaleString('en-US')} rows/s; ` +
          `overall ${Math.round((last + 1) / seconds).toLocaleString('en-US')} rows/s; ${seconds.toFixed(1)} s elapsed)`,
      );
    }
    await runner.query('DROP TABLE bench_activity_mix');
    return secondsSince(started);
  } finally {
    await runner.release();
  }
}

async function createMixTable(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  const slots = activityMixSlots();
  await query(`
    CREATE TABLE bench_activity_mix (
      slot int PRIMARY KEY, activity_type text NOT NULL, actor_type text NOT NULL, actor_id text,
      entity_type text, entity_prefix text, entity_count int NOT NULL, source text NOT NULL, metadata jsonb NOT NULL, context jsonb)`);
  await query(
    `INSERT INTO bench_activity_mix
     SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
                          $8::text[], $9::jsonb[], $10::jsonb[])`,
    [
      slots.map((s) => s.slot),
      slots.map((s) => s.activityType),
      slots.map((s) => s.actorType),
      slots.map((s) => s.actorId),
      slots.map((s) => s.entityType),
      slots.map((s) => s.entityPrefix),
      slots.map((s) => s.entityCount),
      slots.map((s) => s.source),
      slots.map((s) => s.metadata),
      slots.map((s) => s.context),
    ],
  );
}

/**
 * $1..$2: the event numbers (their md5 is the id); $3: users; $4, $5: the chunk's time slice.
 * The inner query draws every random number once per event (Postgres never inlines a subquery with
 * volatile functions); the join gives each event its slot's type, actor kind, entity pool and metadata.
 * Events reach the store 50 ms to 2 s after they happen, as they do through Kafka.
 */
const INSERT_CHUNK = `
  INSERT INTO activity_events (id, occurred_at, received_at, actor_type, actor_id, activity_type,
                               entity_type, entity_id, source, metadata, context)
  SELECT md5('bench-gateway:' || e.n)::uuid,
         e.occurred_at,
         e.occurred_at + (50 + e.delay_ms) * interval '1 millisecond',
         m.actor_type,
         coalesce(m.actor_id, 'u_' || e.user_rank),
         m.activity_type,
         m.entity_type,
         m.entity_prefix || floor(m.entity_count * e.entity_pick)::int,
         m.source,
         m.metadata,
         m.context
    FROM (SELECT n,
                 floor(random() * ${MIX_SLOTS})::int AS slot,
                 floor($3::int * power(random(), 2))::int AS user_rank,
                 $4::timestamptz + random() * $5::interval AS occurred_at,
                 power(random(), 2) AS entity_pick,
                 random() * 1950 AS delay_ms
            FROM generate_series($1::bigint, $2::bigint) AS n) AS e
    JOIN bench_activity_mix AS m USING (slot)`;

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
