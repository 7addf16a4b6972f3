import { ApiProperty } from '@nestjs/swagger';

/*
 * The rows and replies of the analytics routes, as @chronicle/analytics returns them (its
 * analytics-query.types.ts): the controller's return types are these classes, so tsc keeps them in step.
 */

const DAY = { type: 'string', format: 'date', example: '2026-11-22' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const RATE = { type: 'number', minimum: 0, maximum: 1, nullable: true } as const;
const COMPLETE = {
  type: 'boolean',
  description:
    'Whether the period is over: its last day is on or before `to` and before today in `timeZone`.',
  example: true,
} as const;
const TIME_ZONE = {
  type: 'string',
  description: 'The IANA time zone whose calendar days the figures count in.',
  example: 'Europe/Berlin',
} as const;

export class DailyUsers {
  @ApiProperty(DAY)
  day!: string;

  @ApiProperty({
    ...COUNT,
    description: 'Distinct users active in the window ending on `day`.',
    example: 1342,
  })
  users!: number;

  @ApiProperty({ ...COMPLETE, description: 'Whether the window ending on `day` is over.' })
  complete!: boolean;
}

export class StickinessPoint {
  @ApiProperty(DAY)
  day!: string;

  @ApiProperty({ ...COUNT, example: 1342 })
  dau!: number;

  @ApiProperty({ ...COUNT, example: 4810 })
  mau!: number;

  @ApiProperty({
    ...RATE,
    description: 'dau / mau; null when nobody was active in the 30 days.',
    example: 0.279,
  })
  ratio!: number | null;

  @ApiProperty(COMPLETE)
  complete!: boolean;
}

export class CohortRow {
  @ApiProperty({ ...DAY, description: 'The first-seen day, or the Monday of the first-seen week.' })
  cohort!: string;

  @ApiProperty({ ...COUNT, description: 'Users first seen in the cohort.', example: 120 })
  users!: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', nullable: true },
    description:
      'Per period k: users of the cohort retained in period k by the mode; null once period k begins after `to`.',
    example: [120, 54, 41, null],
  })
  retained!: (number | null)[];

  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description: 'retained[k] / users.',
    example: [1, 0.45, 0.342, null],
  })
  rates!: (number | null)[];

  @ApiProperty({
    type: 'array',
    items: { type: 'boolean' },
    description:
      'Per period k: whether retained[k] is final, the period being over for every member (a rolling period a day after the latest member’s window can end).',
    example: [true, true, false, false],
  })
  complete!: boolean[];
}

export class RetentionRate {
  @ApiProperty({ type: 'integer', description: 'The N of day-N retention.', example: 7 })
  day!: number;

  @ApiProperty({
    ...COUNT,
    description: 'Cohorts old enough: their day N is on or before `to`.',
    example: 23,
  })
  cohorts!: number;

  @ApiProperty({ ...COUNT, example: 2760 })
  cohortUsers!: number;

  @ApiProperty({
    ...COUNT,
    description: 'Users of those cohorts retained on their day N, by the mode.',
    example: 910,
  })
  retainedUsers!: number;

  @ApiProperty({
    ...RATE,
    description: 'retainedUsers / cohortUsers; null when no cohort is old enough.',
    example: 0.33,
  })
  rate!: number | null;

  @ApiProperty({ ...COMPLETE, description: 'Whether every counted cohort’s day N is over.' })
  complete!: boolean;
}

export class EntityCount {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'The entity id; for an entity that is a person, resolved from its pseudonym, null when it has none (erased, expired).',
    example: 'app_42',
  })
  entityId!: string | null;

  @ApiProperty({
    type: 'string',
    required: false,
    description: 'The pseudonym, for an entity that is a person.',
  })
  entityKey?: string;

  @ApiProperty({ ...COUNT, example: 5120 })
  events!: number;

  @ApiProperty({ ...COUNT, description: 'Distinct users among the actors.', example: 830 })
  users!: number;
}

export class ActiveUser {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'The actor id, resolved from the pseudonym; null when it has none (erased, expired, not stored yet).',
    example: 'u_123',
  })
  actorId!: string | null;

  @ApiProperty({
    type: 'string',
    description: 'The pseudonym ClickHouse holds: HMAC-SHA-256, hex.',
    example: '9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5',
  })
  actorKey!: string;

  @ApiProperty({ ...COUNT, example: 412 })
  events!: number;

  @ApiProperty({ ...COUNT, description: 'Days in the range with at least one event.', example: 27 })
  activeDays!: number;
}

export class ActivityMixRow {
  @ApiProperty(DAY)
  day!: string;

  @ApiProperty({ type: 'string', example: 'app.viewed' })
  activityType!: string;

  @ApiProperty({ ...COUNT, example: 20480 })
  events!: number;

  @ApiProperty(COMPLETE)
  complete!: boolean;
}

/** What every reply says about its days. */
class ZonedReply {
  @ApiProperty(TIME_ZONE)
  timeZone!: string;
}

/** The definition a retention reply was computed with. */
class RetentionReply extends ZonedReply {
  @ApiProperty({
    type: 'string',
    enum: ['calendar', 'rolling', 'unbounded'],
    description:
      '`calendar`: active on cohort day (week) + k; `rolling`: active in the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: active in period k or later (docs/analytics.md).',
  })
  mode!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string' },
    nullable: true,
    description: 'The types whose first event puts a user in a cohort; null for the first event of any type.',
    example: ['download.*'],
  })
  cohortType!: string[] | null;
}

/** A figure over the whole range. */
class RangeReply extends ZonedReply {
  @ApiProperty({ ...COMPLETE, description: 'Whether the range is over: `to` is before today in `timeZone`.' })
  complete!: boolean;
}

export class DailyUsersSeries extends ZonedReply {
  @ApiProperty({ type: () => [DailyUsers] })
  series!: DailyUsers[];
}

export class StickinessSeries extends ZonedReply {
  @ApiProperty({ type: () => [StickinessPoint] })
  series!: StickinessPoint[];
}

export class CohortRetention extends RetentionReply {
  @ApiProperty({ type: () => [CohortRow] })
  cohorts!: CohortRow[];
}

export class RetentionRates extends RetentionReply {
  @ApiProperty({ type: () => [RetentionRate] })
  rates!: RetentionRate[];
}

export class TopEntities extends RangeReply {
  @ApiProperty({ type: () => [EntityCount] })
  entities!: EntityCount[];
}

export class MostActiveUsers extends RangeReply {
  @ApiProperty({ type: () => [ActiveUser] })
  users!: ActiveUser[];
}

export class ActivityMix extends ZonedReply {
  @ApiProperty({ type: () => [ActivityMixRow] })
  mix!: ActivityMixRow[];
}
