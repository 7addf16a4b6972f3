import { AnalyticsQueryError } from '@chronicle/analytics';
import { isStatementCancelled } from '@chronicle/events-store';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { FieldError } from '../http/field-error';
import { TooManyRequestsError } from '../limits/concurrency-limit';

/**
 * A resolver error as the client sees it, over HTTP and graphql-ws alike: input, access and limit
 * errors keep their message and get a code; anything else is "internal" without detail (the log has
 * it), so no stack or SQL leaks.
 */
export function formatGraphqlError(error: GraphQLError, onInternal?: (error: Error) => void): GraphQLError {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) return error;
  const as = (message: string, extensions: Record<string, unknown>) =>
    new GraphQLError(message, { path: error.path ?? [], extensions });
  if (original instanceof AnalyticsQueryError)
    return as(original.message, { code: 'BAD_USER_INPUT', field: original.parameter });
  // The gateway's own input checks (a cursor, a range) are the same 400s as over REST.
  if (original instanceof FieldError)
    return as(original.message, { code: 'BAD_USER_INPUT', field: original.field });
  if (original instanceof TooManyRequestsError)
    return as(original.message, { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: original.retryAfterSeconds });
  // The AccessGuard's refusals, as it makes them for a route.
  if (original instanceof ForbiddenException) return as(original.message, { code: 'FORBIDDEN' });
  if (original instanceof UnauthorizedException) return as(original.message, { code: 'UNAUTHENTICATED' });
  if (isStatementCancelled(original))
    return as('the query took too long; retry later or narrow the filters', { code: 'SERVICE_UNAVAILABLE' });
  onInternal?.(original);
  return as('internal error', { code: 'INTERNAL' });
}
