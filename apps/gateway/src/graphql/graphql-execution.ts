import { AnalyticsQueryError } from '@chronicle/analytics';
import { FieldError } from '../http/field-error';
import {
  execute,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { activityGraphqlSchema } from './activity-graphql.schema';

/** Deeper documents are refused before they run: the schema is shallow, so depth means abuse. */
const MAX_DEPTH = 8;

/**
 * A validation rule refusing documents nested deeper than MAX_DEPTH selections. A named fragment counts
 * where it is spread (else `{ a { ...F } }` would hide any depth in F); each fragment is measured once,
 * so fragments spread many times over cost no more, and a cycle (NoFragmentCyclesRule's error) ends.
 */
export const depthLimit: ValidationRule = (context) => {
  const fragmentLevels = new Map<string, number>();
  /** The levels of selection sets below `selectionSet`: 0 when it selects leaves only. */
  const levelsBelow = (selectionSet: SelectionSetNode): number =>
    Math.max(
      0,
      ...selectionSet.selections.map((selection) => {
        if (selection.kind !== Kind.FRAGMENT_SPREAD)
          return selection.selectionSet ? 1 + levelsBelow(selection.selectionSet) : 0;
        const name = selection.name.value;
        let levels = fragmentLevels.get(name);
        if (levels === undefined) {
          fragmentLevels.set(name, 0); // while measuring it: a cycle adds nothing
          const fragment = context.getFragment(name);
          levels = fragment ? levelsBelow(fragment.selectionSet) : 0;
          fragmentLevels.set(name, levels);
        }
        return levels;
      }),
    );
  return {
    OperationDefinition(node) {
      if (1 + levelsBelow(node.selectionSet) > MAX_DEPTH)
        context.reportError(new GraphQLError(`the document is nested deeper than ${MAX_DEPTH} levels`));
    },
  };
};

export const VALIDATION_RULES = [...specifiedRules, depthLimit];

/** Parses and validates a document; the errors are the client's (400 over HTTP). */
export function prepareDocument(
  query: string,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: 5_000 });
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const errors = validate(activityGraphqlSchema, document, VALIDATION_RULES);
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
