import { errorMessage, type Logger } from '@chronicle/observability';
import { subscribe, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { authenticate } from '../auth/access.guard';
import type { TokenVerifier } from '../auth/token-verifier';
import { graphqlRoot, type GraphqlContext, type GraphqlServices } from './activity-graphql.resolvers';
import { activityGraphqlSchema } from './activity-graphql.schema';
import { formatGraphqlError, VALIDATION_RULES } from './graphql-execution';

/**
 * graphql-ws on the HTTP server's `/graphql`: the client sends `{ authorization: 'Bearer …' }` as its
 * connection parameters; a missing or invalid token closes the socket with 4403 before any operation.
 */
export function startGraphqlSubscriptions(
  server: Server,
  verifier: TokenVerifier,
  services: GraphqlServices,
  logger: Logger,
): { close(): Promise<void> } {
  const webSockets = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
  const root = graphqlRoot(services);
  const onInternal = (error: Error) =>
    logger.error('graphql subscription failed', { error: errorMessage(error) });
  const cleanup = useServer<Record<string, unknown> | undefined, { user?: GraphqlContext['user'] }>(
    {
      schema: activityGraphqlSchema,
      roots: { subscription: root, query: root },
      validate: (schema, document) => validate(schema, document, VALIDATION_RULES),
      async onConnect(context) {
        try {
          context.extra.user = await authenticate(verifier, context.connectionParams?.['authorization']);
          return true;
        } catch {
          return false;
        }
      },
      context: (context): GraphqlContext => ({ user: context.extra.user as GraphqlContext['user'] }),
      subscribe: (args) => subscribe(args),
      onNext(_context, _id, _payload, _args, result) {
        if (!result.errors) return result;
        return { ...result, errors: result.errors.map((error) => formatGraphqlError(error, onInternal)) };
      },
    },
    webSockets,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => webSockets.close(() => resolve()));
    },
  };
}
