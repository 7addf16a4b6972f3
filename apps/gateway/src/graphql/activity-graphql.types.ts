import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from './graphql-json.scalar';

/*
 * The activity types of the GraphQL API, code first. Every field names its GraphQL type: the gateway
 * runs under tsx (esbuild), which emits no design-time type metadata for Nest to infer it from.
 */

@ObjectType()
export class Actor {
  @Field(() => String)
  type!: string;
  @Field(() => String)
  id!: string;
}

@ObjectType()
export class Entity {
  @Field(() => String)
  type!: string;
  @Field(() => String)
  id!: string;
}

@ObjectType()
export class Activity {
  @Field(() => ID)
  id!: string;
  @Field(() => String)
  occurredAt!: string;
  @Field(() => String)
  receivedAt!: string;
  @Field(() => Actor)
  actor!: Actor;
  @Field(() => String)
  type!: string;
  @Field(() => String, {
    description: "What happened, in a short English sentence from the type's catalog template.",
  })
  sentence!: string;
  @Field(() => Entity, { nullable: true })
  entity!: Entity | null;
  @Field(() => String)
  source!: string;
  @Field(() => JsonScalar)
  metadata!: unknown;
  @Field(() => JsonScalar, { nullable: true })
  context!: unknown;
}

@ObjectType()
export class ActivityEdge {
  @Field(() => String)
  cursor!: string;
  @Field(() => Activity)
  node!: Activity;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class ActivityConnection {
  @Field(() => [ActivityEdge])
  edges!: ActivityEdge[];
  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType('ActivityFilter', {
  description:
    'Filters combine (AND); types take exact types and prefixes (download.*); from inclusive, to exclusive.',
})
export class ActivityFilterInput {
  @Field(() => String, { nullable: true })
  userId?: string;
  @Field(() => [String], { nullable: true })
  types?: string[];
  @Field(() => String, { nullable: true })
  entityType?: string;
  @Field(() => String, { nullable: true })
  entityId?: string;
  @Field(() => String, { nullable: true })
  source?: string;
  @Field(() => String, { nullable: true })
  from?: string;
  @Field(() => String, { nullable: true })
  to?: string;
}
