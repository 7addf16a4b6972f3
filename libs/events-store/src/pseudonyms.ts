import { isPersonEntityType, type Pseudonymizer } from '@chronicle/contracts';
import type { ClientBase } from 'pg';
import type { DataSource } from 'typeorm';
import type { ActivityEventRow } from './activity-event.row';
import { DAY_MS, utcDayStart } from './daily-partitions';

/**
 * The `pseudonyms` table: the one way from an analytics pseudonym back to a person, kept in the
 * identified store under its retention and erasure, never in ClickHouse (docs/privacy.md).
 */
export interface PseudonymSubject {
  type: string;
  id: string;
}

/** The most keys one resolve call takes: a "most active users" page, not a dump of the table. */
export const MAX_RESOLVE_KEYS = 1000;

/** A subject of a row that analytics pseudonymises: its actor, and its entity when that is a person. */
export interface PseudonymSighting extends PseudonymSubject {
  key: string;
  dayMs: number;
}

/** The most sightings the writer remembers having stored; past it, it starts again (one upsert each). */
const MAX_REMEMBERED = 200_000;

/**
 * Keeps `pseudonyms` current from the rows a writer stores: one row per subject, its last day seen.
 * Remembers what it stored, so a subject costs one upsert per day rather than one per event.
 */
export class PseudonymRecorder {
  private readonly stored = new Map<string, number>();

  constructor(private readonly pseudonymize: Pseudonymizer) {}

  /**
   * Upserts the subjects of `rows` this recorder has not stored for their day yet, and those of
   * `erased` actors whatever it remembers (an erasure elsewhere may have deleted their row). Runs in
   * the caller's transaction; call committed() once it commits.
   */
  async record(
    client: ClientBase,
    rows: readonly ActivityEventRow[],
    erased: ReadonlySet<string>,
  ): Promise<PseudonymSighting[]> {
    const due = new Map<string, PseudonymSighting>();
    for (const row of rows) {
      const dayMs = utcDayStart(row.occurredAtMs);
      this.consider(due, row.actorType, row.actorId, dayMs, erased.has(row.actorId));
      if (row.entityType !== null && row.entityId !== null && isPersonEntityType(row.entityType))
        this.consider(due, row.entityType, row.entityId, dayMs, erased.has(row.entityId));
    }
    if (due.size === 0) return [];
    const sightings = [...due.values()];
    await client.query(
      `INSERT INTO pseudonyms (key, subject_type, subject_id, last_seen)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[])
       ON CONFLICT (key) DO UPDATE SET last_seen = EXCLUDED.last_seen
        WHERE pseudonyms.last_seen < EXCLUDED.last_seen`,
      [
        sightings.map((s) => s.key),
        sightings.map((s) => s.type),
        sightings.map((s) => s.id),
        sightings.map((s) => new Date(s.dayMs).toISOString().slice(0, 10)),
      ],
    );
    return sightings;
  }

  /** What a committed transaction stored: not upserted again for the same day. */
  committed(sightings: readonly PseudonymSighting[]): void {
    if (this.stored.size + sightings.length > MAX_REMEMBERED) this.stored.clear();
    for (const { key, dayMs } of sightings) this.stored.set(key, Math.max(dayMs, this.stored.get(key) ?? 0));
  }

  private consider(
    due: Map<string, PseudonymSighting>,
    type: string,
    id: string,
    dayMs: number,
    force: boolean,
  ): void {
    const key = this.pseudonymize(type, id);
    if (!force && (this.stored.get(key) ?? -DAY_MS) >= dayMs) return;
    const seen = due.get(key);
    if (seen === undefined || seen.dayMs < dayMs) due.set(key, { key, type, id, dayMs });
  }
}

/**
 * The subjects behind analytics pseudonyms. Keys the table does not hold (erased, past retention, or
 * not stored yet) are absent from the result.
 */
export async function resolvePseudonyms(
  dataSource: DataSource,
  keys: readonly string[],
): Promise<Map<string, PseudonymSubject>> {
  if (keys.length > MAX_RESOLVE_KEYS)
    throw new RangeError(`resolvePseudonyms takes at most ${MAX_RESOLVE_KEYS} keys, got ${keys.length}`);
  if (keys.length === 0) return new Map();
  const rows: { key: string; subject_type: string; subject_id: string }[] = await dataSource.query(
    'SELECT key, subject_type, subject_id FROM pseudonyms WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((row) => [row.key, { type: row.subject_type, id: row.subject_id }]));
}

/** `last_seen` before which a subject is forgotten: the first day whose partition retention keeps. */
export function pseudonymCutoffDay(cutoffMs: number): string {
  return new Date(utcDayStart(cutoffMs - DAY_MS) + DAY_MS).toISOString().slice(0, 10);
}
