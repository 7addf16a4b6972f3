import type { ApolloServerPlugin } from '@apollo/server';
import { errorMessage, type Logger } from '@chronicle/observability';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { formatGraphqlError } from './graphql-errors';

/**
 * A subscription comes over graphql-ws: an HTTP answer cannot stream it (400). The document's length is
 * checked before Apollo Server sees it (graphql-http.middleware.ts), its limits by documentLimitsRule.
 */
export const graphqlHttpPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription')
          throw new GraphQLError('subscriptions go over WebSocket (graphql-ws) at /graphql', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
      },
    };
  },
};

/**
 * Apollo's formatError: resolver errors as formatGraphqlError makes them, and Apollo Server's own
 * (syntax, validation, variables) as they are.
 */
export function apolloErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    if (!(error instanceof GraphQLError)) return formatted;
    const result = formatGraphqlError(error, (cause) =>
      logger.error('graphql resolver failed', { error: errorMessage(cause) }),
    );
    return result === error ? formatted : result.toJSON();
  };
}
