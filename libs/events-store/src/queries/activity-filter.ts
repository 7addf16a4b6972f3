import { ACTOR_TYPES, type ActorType } from '@chronicle/contracts';

/** What a timeline, an admin search or an export narrows `activity_events` to. Every field is optional. */
export interface ActivityFilter {
  /** Exactly this actor. */
  actorId?: string;
  actorType?: ActorType;
  /**
   * Exact activity types, already resolved by the caller (`download.*` expanded). An empty list would
   * match nothing, which is never what a caller means, so it is refused.
   */
  types?: readonly string[];
  entityType?: string;
  /** With or without entityType. */
  entityId?: string;
  source?: string;
  /** Inclusive: `occurred_at >= from`. */
  from?: Date;
  /** Exclusive: `occurred_at < to`. */
  to?: Date;
}

/** The position of the last row returned: the next page starts strictly after it, newest first. */
export interface ActivityKeyset {
  occurredAt: Date;
  id: string;
}

/** The Postgres types the filter's values are cast to. */
export type ActivityParamType = 'text' | 'text[]' | 'timestamptz' | 'uuid';

export interface ActivityWhereOptions {
  /** Rows strictly after this position in `occurred_at DESC, id DESC` order. */
  after?: ActivityKeyset;
  /** The number of the first placeholder (`$1` unless the query has parameters before the filter's). */
  firstParam?: number;
  /**
   * How the value of parameter `n` is referred to; `$n` unless told. COPY cannot take bind parameters,
   * so the export passes the values as settings and reads them back here (see activity.export.ts).
   */
  placeholder?: (n: number, type: ActivityParamType) => string;
}

export interface ActivityWhere {
  /** `WHERE …`, or '' when nothing narrows the rows. Holds placeholders only, never a value. */
  where: string;
  /** The values of the placeholders, in order. */
  params: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The WHERE clause and its parameters for a filter and, for a next page, a keyset. Pure: the values
 * travel as parameters only, so no input can change the statement.
 *
 * Every condition is an equality or range the indexes on `activity_events` serve, and the time range
 * on the partition key lets Postgres skip the partitions outside it.
 */
export function buildActivityWhere(
  filter: ActivityFilter,
  options: ActivityWhereOptions = {},
): ActivityWhere {
  const placeholder = options.placeholder ?? ((n: number, type: ActivityParamType) => `$${n}::${type}`);
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown, type: ActivityParamType): string => {
    params.push(value);
    return placeholder((options.firstParam ?? 1) + params.length - 1, type);
  };

  if (filter.actorId !== undefined) conditions.push(`actor_id = ${param(filter.actorId, 'text')}`);
  if (filter.actorType !== undefined) {
    if (!(ACTOR_TYPES as readonly string[]).includes(filter.actorType))
      throw new RangeError(`actorType must be one of ${ACTOR_TYPES.join(', ')}`);
    conditions.push(`actor_type = ${param(filter.actorType, 'text')}`);
  }
  if (filter.types !== undefined) {
    if (filter.types.length === 0) throw new RangeError('types must name at least one activity type');
    // One type is an equality, so the (activity_type, occurred_at, id) index returns rows in order.
    conditions.push(
      filter.types.length === 1
        ? `activity_type = ${param(filter.types[0], 'text')}`
        : `activity_type = ANY(${param([...filter.types], 'text[]')})`,
    );
  }
  if (filter.entityType !== undefined) conditions.push(`entity_type = ${param(filter.entityType, 'text')}`);
  if (filter.entityId !== undefined) conditions.push(`entity_id = ${param(filter.entityId, 'text')}`);
  if (filter.source !== undefined) conditions.push(`source = ${param(filter.source, 'text')}`);
  if (filter.from !== undefined)
    conditions.push(`occurred_at >= ${param(validDate(filter.from, 'from'), 'timestamptz')}`);
  if (filter.to !== undefined)
    conditions.push(`occurred_at < ${param(validDate(filter.to, 'to'), 'timestamptz')}`);
  if (options.after !== undefined) {
    const { occurredAt, id } = options.after;
    if (!UUID.test(id)) throw new RangeError('the keyset id must be a UUID');
    const at = param(validDate(occurredAt, 'the keyset time'), 'timestamptz');
    // The row comparison is one index range, so page 1000 costs what page 1 does. The plain bound on
    // occurred_at repeats it in a form partition pruning understands, so newer days are not visited.
    conditions.push(`occurred_at <= ${at}`, `(occurred_at, id) < (${at}, ${param(id, 'uuid')})`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function validDate(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new RangeError(`${name} must be a valid date`);
  return date;
}
