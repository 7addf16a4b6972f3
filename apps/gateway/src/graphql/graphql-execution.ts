import { AnalyticsQueryError } from '@chronicle/analytics';
import { FieldError } from '../http/field-error';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import {
  execute,
  getNamedType,
  GraphQLError,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLNamedType,
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

/** Fields a document may select in all, aliases and fragment spreads counted each time they apply. */
export const MAX_FIELDS = 500;
/** Fields that each run a query in a store (see STORE_FIELDS) a document may select. */
export const MAX_STORE_QUERIES = 12;
/**
 * The fields whose resolver queries Postgres or ClickHouse, or holds a live stream: each is a query,
 * however cheap the fields below it. An analytics page asks for the nine figures at once.
 */
const STORE_FIELDS = new Set(['Query.activities', 'Query.myActivity', 'Subscription.activityAdded']);
const STORE_TYPES = new Set(['Analytics']);

interface DocumentCost {
  fields: number;
  storeQueries: number;
}

/**
 * A validation rule refusing documents that ask for too much at once: an alias makes one field into
 * many (`a1: myActivity … a999: myActivity`), each its own query, and fragments spread in several
 * places multiply. Counts what would run, per operation: every selected field, and the fields that
 * query a store. Each fragment is costed once and multiplied where it is spread, so the count itself
 * stays cheap; a cycle (NoFragmentCyclesRule's error) costs nothing.
 */
export const costLimit: ValidationRule = (context) => {
  const schema = context.getSchema();
  const fragmentCosts = new Map<string, DocumentCost>();
  const add = (a: DocumentCost, b: DocumentCost) => {
    a.fields += b.fields;
    a.storeQueries += b.storeQueries;
  };
  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): DocumentCost => {
    const cost = { fields: 0, storeQueries: 0 };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = isObjectType(parent) ? parent.getFields()[selection.name.value] : undefined;
        cost.fields++;
        if (
          parent &&
          (STORE_TYPES.has(parent.name) || STORE_FIELDS.has(`${parent.name}.${selection.name.value}`))
        )
          cost.storeQueries++;
        if (selection.selectionSet && field)
          add(cost, costOf(selection.selectionSet, getNamedType(field.type)));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(cost, costOf(selection.selectionSet, type));
      } else {
        const name = selection.name.value;
        let fragmentCost = fragmentCosts.get(name);
        if (fragmentCost === undefined) {
          fragmentCosts.set(name, { fields: 0, storeQueries: 0 }); // while costing it: a cycle adds nothing
          const fragment = context.getFragment(name);
          fragmentCost = fragment
            ? costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value))
            : { fields: 0, storeQueries: 0 };
          fragmentCosts.set(name, fragmentCost);
        }
        add(cost, fragmentCost);
      }
    }
    return cost;
  };
  return {
    OperationDefinition(node) {
      const cost = costOf(node.selectionSet, schema.getRootType(node.operation) ?? undefined);
      if (cost.fields > MAX_FIELDS)
        context.reportError(
          new GraphQLError(`the document selects ${cost.fields} fields, more than ${MAX_FIELDS}`),
        );
      if (cost.storeQueries > MAX_STORE_QUERIES)
        context.reportError(
          new GraphQLError(
            `the document runs ${cost.storeQueries} queries (aliases included), more than ${MAX_STORE_QUERIES}`,
          ),
        );
    },
  };
};

export const VALIDATION_RULES = [...specifiedRules, depthLimit, costLimit];

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
  if (original instanceof TooManyRequestsError)
    return new GraphQLError(original.message, {
      path: error.path ?? [],
      extensions: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: original.retryAfterSeconds },
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
