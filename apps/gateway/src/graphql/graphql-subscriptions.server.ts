import { errorMessage, type Logger } from '@chronicle/observability';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { execute, GraphQLError, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { authenticateRequest } from '../auth/access.guard';
import type { Principal, TokenVerifier } from '../auth/token-verifier';
import { callerKey, spendRateLimit } from '../http/rate-limit';
import type { ConcurrencyLimit } from '../limits/concurrency-limit';
import { whenTokenExpires } from '../limits/token-expiry';
import { MAX_DOCUMENT_LENGTH, prepareDocument } from './document-limits';
import { formatGraphqlError } from './graphql-errors';

/** A message holds one document of at most MAX_DOCUMENT_LENGTH characters, its variables and framing. */
const MAX_MESSAGE_BYTES = 4 * MAX_DOCUMENT_LENGTH + 16 * 1024;

export interface GraphqlSubscriptionsOptions {
  /** The schema Nest built from the resolver classes (GraphQLSchemaHost). */
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  /** Queries running per caller, shared with GraphQL over HTTP. */
  operations: ConcurrencyLimit;
  /** The REST and HTTP GraphQL budget: each operation over the socket counts against its caller's. */
  rateLimit: { storage: ThrottlerStorage; perMinute: number };
  logger: Logger;
}

/** What the connection's operations see as their request: the AccessGuard and @CurrentUser read it. */
type ConnectionRequest = AuthenticatedRequest & { headers: { authorization: unknown } };

/** A type, not an interface: graphql-ws wants an index signature. */
type ConnectionState = {
  caller?: ConnectionRequest;
  cancelExpiry?: () => void;
};

/** The context of each operation, as the resolvers read it over HTTP too: `{ req }`. */
interface OperationContext {
  req: ConnectionRequest;
}

/**
 * graphql-ws on the HTTP server's `/graphql`, this server rather than @nestjs/graphql's (see
 * graphql-api.module.ts), serving the schema Nest built. The client sends
 * `{ authorization: 'Bearer …' }` as its connection parameters; a missing or invalid token closes the
 * socket with 4403 before any operation. Everything else holds as over HTTP, through the same code:
 * each operation is parsed and validated by prepareDocument (size, depth and cost limits) and counted
 * against the caller's rate limit and running queries; its resolvers run behind the AccessGuard
 * (admin fields), and subscriptions count against the caller's live streams. The socket closes with
 * 4401 when the token expires. A client that stops reading misses graphql-ws's pings and is dropped
 * within 24 s.
 */
export function startGraphqlSubscriptions(
  server: Server,
  options: GraphqlSubscriptionsOptions,
): { close(): Promise<void> } {
  const { schema, verifier, operations, rateLimit, logger } = options;
  const webSockets = new WebSocketServer({ server, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const onInternal = (error: Error) =>
    logger.error('graphql subscription failed', { error: errorMessage(error) });
  const cleanup = useServer<Record<string, unknown> | undefined, ConnectionState>(
    {
      schema,
      async onConnect(context) {
        const { extra } = context;
        const request: ConnectionRequest = {
          headers: { authorization: context.connectionParams?.['authorization'] },
        };
        try {
          // Verified once for the connection: the AccessGuard asks again per operation and gets this answer.
          request.user = await authenticateRequest(verifier, request);
        } catch {
          return false;
        }
        extra.caller = request;
        extra.cancelExpiry = whenTokenExpires(request.user.validUntil, () =>
          extra.socket.close(CloseCode.Unauthorized, 'the token has expired'),
        );
        return true;
      },
      onClose(context) {
        context.extra.cancelExpiry?.();
      },
      async onSubscribe(context, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
        const request = context.extra.caller as ConnectionRequest;
        const user = request.user as Principal;
        const spent = await spendRateLimit(rateLimit.storage, callerKey(user), rateLimit.perMinute);
        if (!spent.allowed)
          return [
            new GraphQLError(`rate limit exceeded; retry in ${spent.retryAfterSeconds} s`, {
              extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: spent.retryAfterSeconds },
            }),
          ];
        // Messages of one burst arrive in one read: let other requests' I/O run between them.
        await new Promise((resolve) => setImmediate(resolve));
        const prepared = prepareDocument(schema, payload.query);
        if ('errors' in prepared) return prepared.errors;
        const args: ExecutionArgs = {
          schema,
          document: prepared.document,
          contextValue: { req: request } satisfies OperationContext,
        };
        if (payload.variables) args.variableValues = payload.variables;
        if (payload.operationName) args.operationName = payload.operationName;
        return args;
      },
      // Over the caller's cap a query is answered TOO_MANY_REQUESTS without running, as HTTP's 429.
      async execute(args) {
        let release: () => void;
        try {
          release = operations.acquire(
            callerKey((args.contextValue as OperationContext).req.user as Principal),
          );
        } catch (error) {
          return {
            errors: [
              formatGraphqlError(
                new GraphQLError((error as Error).message, { originalError: error as Error }),
              ),
            ],
          };
        }
        try {
          return await execute(args);
        } finally {
          release();
        }
      },
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
