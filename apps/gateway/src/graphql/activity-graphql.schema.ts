import { buildSchema } from 'graphql';

/**
 * The GraphQL API: the same data and the same access rules as REST. `activities` and `analytics` and
 * the `activityAdded` subscription are for admins; `myActivity` for any user. Times are RFC 3339
 * strings, days `YYYY-MM-DD` (UTC).
 */
export const ACTIVITY_GRAPHQL_SDL = /* GraphQL */ `
  "Any JSON value: an activity's metadata and context."
  scalar JSON

  type Actor {
    type: String!
    id: String!
  }
  type Entity {
    type: String!
    id: String!
  }

  type Activity {
    id: ID!
    occurredAt: String!
    receivedAt: String!
    actor: Actor!
    type: String!
    "What happened, in a short English sentence from the type's catalog template."
    sentence: String!
    entity: Entity
    source: String!
    metadata: JSON!
    context: JSON
  }

  type ActivityEdge {
    cursor: String!
    node: Activity!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type ActivityConnection {
    edges: [ActivityEdge!]!
    pageInfo: PageInfo!
  }

  "Filters combine (AND); types take exact types and prefixes (download.*); from inclusive, to exclusive."
  input ActivityFilter {
    userId: String
    types: [String!]
    entityType: String
    entityId: String
    source: String
    from: String
    to: String
  }

  type DailyUsers {
    day: String!
    users: Int!
  }
  type StickinessPoint {
    day: String!
    dau: Int!
    mau: Int!
    ratio: Float
  }
  type CohortRow {
    cohort: String!
    users: Int!
    retained: [Int]!
    rates: [Float]!
  }
  type RetentionRate {
    day: Int!
    cohorts: Int!
    cohortUsers: Int!
    retainedUsers: Int!
    rate: Float
  }
  type EntityCount {
    "The id; for a person (entity type user, member, …) resolved from its pseudonym, null once erased or expired."
    entityId: String
    "The pseudonym, for an entity that is a person."
    entityKey: String
    events: Int!
    users: Int!
  }
  type ActiveUser {
    "Resolved from the pseudonym through the identified store; null once erased or expired."
    actorId: String
    "The pseudonym ClickHouse holds."
    actorKey: String!
    events: Int!
    activeDays: Int!
  }
  type ActivityMixRow {
    day: String!
    activityType: String!
    events: Int!
  }

  type Analytics {
    dau: [DailyUsers!]!
    wau: [DailyUsers!]!
    mau: [DailyUsers!]!
    stickiness: [StickinessPoint!]!
    retention(periods: Int = 8, granularity: String = "day"): [CohortRow!]!
    retentionRates(days: [Int!]): [RetentionRate!]!
    topEntities(entityType: String = "app", limit: Int = 10): [EntityCount!]!
    mostActiveUsers(limit: Int = 10): [ActiveUser!]!
    activityMix: [ActivityMixRow!]!
  }

  type Query {
    "Everyone's activity, newest first (admin)."
    activities(filter: ActivityFilter, first: Int = 100, after: String): ActivityConnection!
    "The caller's own activity of the last days (30 by default, at most 90), newest first."
    myActivity(days: Int = 30, first: Int = 50, after: String): ActivityConnection!
    "Product analytics over UTC days, from and to included; the last 30 days by default (admin)."
    analytics(from: String, to: String, types: [String!]): Analytics!
  }

  type Subscription {
    "Each new activity passing the filter, as it is published (admin)."
    activityAdded(filter: ActivityFilter): Activity!
  }
`;

export const activityGraphqlSchema = buildSchema(ACTIVITY_GRAPHQL_SDL);
