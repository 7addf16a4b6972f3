import { AnalyticsQueryError } from '@chronicle/analytics';
import { isStatementCancelled } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import {
  execute,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import { activityGraphqlSchema } from './activity-graphql.schema';
import { documentLimitErrors } from './document-limits';

/** The longest document accepted, in characters; parsing also stops at MAX_TOKENS. */
export const MAX_DOCUMENT_LENGTH = 32 * 1024;
const MAX_TOKENS = 5_000;

/** Parses and validates a document; the errors are the client's (400 over HTTP). */
export function prepareDocument(
  query: string,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  if (query.length > MAX_DOCUMENT_LENGTH)
    return { errors: [new GraphQLError(`the document is longer than ${MAX_DOCUMENT_LENGTH} characters`)] };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const overLimits = documentLimitErrors(activityGraphqlSchema, document);
  if (overLimits.length > 0) return { errors: overLimits };
  const errors = validate(activityGraphqlSchema, document, specifiedRules);
  return errors.length > 0 ? { errors } : { document };
}

/**
 * A resolver error as the client sees it: input and access errors keep their message and code;
 * anything else is "internal" without detail (the log has it), so no stack or SQL leaks.
 */
export function formatGraphqlError(error: GraphQLError, onInternal?: (error: Error) => void): GraphQLError {
  const original = error.originalError;
  if (!original || original instanceof GraphQLError) return error;
  if (original instanceof AnalyticsQueryError)
    return new GraphQLError(original.message, {
      path: error.path ?? [],
      extensions: { code: 'BAD_USER_INPUT', field: original.parameter },
    });
  // The gateway's own input checks (a cursor, a range) are the same 400s as over REST.
  if (original instanceof FieldError)
    return new GraphQLError(original.message, {
      path: error.path ?? [],
      extensions: { code: 'BAD_USER_INPUT', field: original.field },
    });
  if (original instanceof TooManyRequestsError)
    return new GraphQLError(original.message, {
      path: error.path ?? [],
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: original.retryAfterSeconds },
    });
  if (isStatementCancelled(original))
    return new GraphQLError('the query took too long; retry later or narrow the filters', {
      path: error.path ?? [],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  onInternal?.(original);
  return new GraphQLError('internal error', { path: error.path ?? [], extensions: { code: 'INTERNAL' } });
}

export async function executeDocument(
  document: DocumentNode,
  rootValue: unknown,
  contextValue: unknown,
  variableValues: Record<string, unknown> | undefined,
  operationName: string | undefined,
  onInternal?: (error: Error) => void,
): Promise<ExecutionResult> {
  const result = await execute({
    schema: activityGraphqlSchema,
    document,
    rootValue,
    contextValue,
    variableValues: variableValues ?? null,
    operationName: operationName ?? null,
  });
  return result.errors
    ? { ...result, errors: result.errors.map((error) => formatGraphqlError(error, onInternal)) }
    : result;
}
