import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

/* The product-analytics figures of the GraphQL API; each field names its type (activity-graphql.types.ts). */

@ObjectType()
export class DailyUsers {
  @Field(() => String)
  day!: string;
  @Field(() => Int)
  users!: number;
  @Field(() => Boolean, { description: 'Whether the window ending on `day` is over.' })
  complete!: boolean;
}

@ObjectType()
export class StickinessPoint {
  @Field(() => String)
  day!: string;
  @Field(() => Int)
  dau!: number;
  @Field(() => Int)
  mau!: number;
  @Field(() => Float, { nullable: true })
  ratio!: number | null;
  @Field(() => Boolean)
  complete!: boolean;
}

@ObjectType()
export class CohortRow {
  @Field(() => String)
  cohort!: string;
  @Field(() => Int)
  users!: number;
  @Field(() => [Int], { nullable: 'items' })
  retained!: (number | null)[];
  @Field(() => [Float], { nullable: 'items' })
  rates!: (number | null)[];
  @Field(() => [Boolean], { description: 'Per period k: whether retained[k] is final (the period is over).' })
  complete!: boolean[];
}

@ObjectType()
export class RetentionRate {
  @Field(() => Int)
  day!: number;
  @Field(() => Int)
  cohorts!: number;
  @Field(() => Int)
  cohortUsers!: number;
  @Field(() => Int)
  retainedUsers!: number;
  @Field(() => Float, { nullable: true })
  rate!: number | null;
  @Field(() => Boolean, { description: 'Whether every counted cohort’s day N is over.' })
  complete!: boolean;
}

@ObjectType()
export class EntityCount {
  @Field(() => String, {
    nullable: true,
    description:
      'The id; for a person (entity type user, member, …) resolved from its pseudonym, null once erased or expired.',
  })
  entityId!: string | null;
  @Field(() => String, { nullable: true, description: 'The pseudonym, for an entity that is a person.' })
  entityKey!: string | null;
  @Field(() => Int)
  events!: number;
  @Field(() => Int)
  users!: number;
}

@ObjectType()
export class ActiveUser {
  @Field(() => String, {
    nullable: true,
    description: 'Resolved from the pseudonym through the identified store; null once erased or expired.',
  })
  actorId!: string | null;
  @Field(() => String, { description: 'The pseudonym ClickHouse holds.' })
  actorKey!: string;
  @Field(() => Int)
  events!: number;
  @Field(() => Int)
  activeDays!: number;
}

@ObjectType()
export class ActivityMixRow {
  @Field(() => String)
  day!: string;
  @Field(() => String)
  activityType!: string;
  @Field(() => Int)
  events!: number;
  @Field(() => Boolean)
  complete!: boolean;
}

/** The range every figure of one `analytics(…)` selection is computed over; the figures are its fields. */
@ObjectType('Analytics')
export class AnalyticsFigures {
  from!: string;
  to!: string;
  types?: string[];
  tz!: string;
}
