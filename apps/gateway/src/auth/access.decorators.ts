import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Principal } from './token-verifier';

/** How a route is reached: by anyone (health, docs), by an API key (the collector), by any user, or admins only. */
export type Access = 'public' | 'api-key' | 'user' | 'admin';
export const ACCESS_KEY = 'chronicle:access';

/** Routes without this decorator need a user token: access is closed by default. */
export const Public = () => SetMetadata(ACCESS_KEY, 'public' satisfies Access);
export const ApiKeyAccess = () => SetMetadata(ACCESS_KEY, 'api-key' satisfies Access);
export const AdminOnly = () => SetMetadata(ACCESS_KEY, 'admin' satisfies Access);

/** The request's verified caller, set by the AccessGuard. */
export interface AuthenticatedRequest {
  user?: Principal;
  /** The source the request's API key publishes as. */
  apiKeySource?: string;
}

/**
 * The request a route or a resolver serves: for GraphQL, the one its context carries (Express's over
 * HTTP, the connection's over graphql-ws: graphql-subscriptions.server.ts).
 */
export function requestOf<T>(context: ExecutionContext): T {
  return context.getType<GqlContextType>() === 'graphql'
    ? GqlExecutionContext.create(context).getContext<{ req: T }>().req
    : context.switchToHttp().getRequest<T>();
}

export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const user = requestOf<AuthenticatedRequest>(context).user;
  // The guard ran before any handler that asks for a user; no user here is a wiring mistake.
  if (!user) throw new Error('CurrentUser used on a route that does not authenticate');
  return user;
});
