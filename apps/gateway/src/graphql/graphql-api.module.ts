import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Logger } from '@chronicle/observability';
import type { DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ActivityGraphqlResolver } from './activity-graphql.resolver';
import { AnalyticsGraphqlResolver } from './analytics-graphql.resolver';
import { documentLimitsRule, MAX_TOKENS } from './document-limits';
import { apolloErrorFormatter, graphqlHttpPlugin } from './graphql-http.plugin';

/** Every resolver class of the API: the gateway's module provides them; the schema is built from them. */
export const GRAPHQL_RESOLVERS = [ActivityGraphqlResolver, AnalyticsGraphqlResolver];

/**
 * GraphQL over HTTP at /graphql: Apollo Server through @nestjs/apollo, the schema built in memory from
 * the resolver classes (docs/schema.graphql is its checked-in copy, `npm run docs:graphql`).
 *
 * graphql-ws is not the driver's: its WebSocket server takes no maxPayload and its options no
 * `execute` (where each operation takes one of the caller's running queries), so the gateway's own
 * hardened server serves the schema Nest builds (graphql-subscriptions.server.ts, started by gateway.ts).
 */
export function graphqlApiModule(logger: Logger): DynamicModule {
  return GraphQLModule.forRoot<ApolloDriverConfig>({
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // No page at /graphql in any environment, as before: clients POST; the API docs are at /api/docs.
    playground: false,
    // Any user token may read the schema, as before: it is public in docs/schema.graphql anyway.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // formatGraphqlError maps the guards' exceptions itself, on both transports alike.
    autoTransformHttpErrors: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    validationRules: [documentLimitsRule],
    formatError: apolloErrorFormatter(logger),
    plugins: [graphqlHttpPlugin],
  });
}
