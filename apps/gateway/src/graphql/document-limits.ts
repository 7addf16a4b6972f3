import {
  getNamedType,
  GraphQLError,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';

/** The longest document accepted, in characters; parsing also stops at MAX_TOKENS. */
export const MAX_DOCUMENT_LENGTH = 32 * 1024;
export const MAX_TOKENS = 5_000;
export const DOCUMENT_TOO_LONG = `the document is longer than ${MAX_DOCUMENT_LENGTH} characters`;

/** Deeper documents are refused before they run: the schema is shallow, so depth means abuse. */
export const MAX_DEPTH = 8;
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

interface Measure {
  /** Levels of selection sets below this one: 0 when it selects leaves only. */
  depth: number;
  fields: number;
  storeQueries: number;
}

/**
 * What a document would cost, checked before GraphQL's own validation (which walks the document with
 * type information, some 20 ms for 500 aliases): its depth, the fields it selects, and the fields that
 * query a store. An alias makes one field into many (`a1: myActivity … a999: myActivity`), each its own
 * query, and a fragment counts where it is spread (`{ a { ...F } }` would otherwise hide F's depth and
 * fields). Each fragment is measured once and reused wherever it is spread, so the check stays linear
 * in the document however the fragments multiply; a fragment cycle (GraphQL's validation reports it)
 * adds nothing. Unknown fields and types are left to that validation too.
 */
export function documentLimitErrors(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Measure>();
  const none: Measure = { depth: 0, fields: 0, storeQueries: 0 };

  const measure = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): Measure => {
    const total = { depth: 0, fields: 0, storeQueries: 0 };
    const add = (part: Measure, levels: number) => {
      total.depth = Math.max(total.depth, part.depth + levels);
      total.fields += part.fields;
      total.storeQueries += part.storeQueries;
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        total.fields++;
        if (parent && (STORE_TYPES.has(parent.name) || STORE_FIELDS.has(`${parent.name}.${name}`)))
          total.storeQueries++;
        if (selection.selectionSet) {
          const field = isObjectType(parent) ? parent.getFields()[name] : undefined;
          add(measure(selection.selectionSet, field ? getNamedType(field.type) : undefined), 1);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measure(selection.selectionSet, type ?? undefined), 0);
      } else {
        const name = selection.name.value;
        let fragment = measured.get(name);
        if (fragment === undefined) {
          measured.set(name, none); // while measuring it: a cycle adds nothing
          const definition = fragments.get(name);
          fragment = definition
            ? measure(
                definition.selectionSet,
                schema.getType(definition.typeCondition.name.value) ?? undefined,
              )
            : none;
          measured.set(name, fragment);
        }
        add(fragment, 0);
      }
    }
    return total;
  };

  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const cost = measure(definition.selectionSet, schema.getRootType(definition.operation) ?? undefined);
    if (1 + cost.depth > MAX_DEPTH)
      errors.push(new GraphQLError(`the document is nested deeper than ${MAX_DEPTH} levels`));
    if (cost.fields > MAX_FIELDS)
      errors.push(new GraphQLError(`the document selects ${cost.fields} fields, more than ${MAX_FIELDS}`));
    if (cost.storeQueries > MAX_STORE_QUERIES)
      errors.push(
        new GraphQLError(
          `the document runs ${cost.storeQueries} queries (aliases included), more than ${MAX_STORE_QUERIES}`,
        ),
      );
  }
  return errors;
}

/** The limits as a validation rule, for Apollo Server (GraphQL over HTTP). */
export const documentLimitsRule: ValidationRule = (context) => {
  for (const error of documentLimitErrors(context.getSchema(), context.getDocument()))
    context.reportError(error);
  return {};
};

/**
 * Parses and validates a document for graphql-ws, the limits first: they cost far less than GraphQL's
 * own validation (some 20 ms for 500 aliases), so a bomb is refused before that runs. The errors are
 * the client's.
 */
export function prepareDocument(
  schema: GraphQLSchema,
  query: string,
): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  if (query.length > MAX_DOCUMENT_LENGTH) return { errors: [new GraphQLError(DOCUMENT_TOO_LONG)] };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: MAX_TOKENS });
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const overLimits = documentLimitErrors(schema, document);
  if (overLimits.length > 0) return { errors: overLimits };
  const errors = validate(schema, document, specifiedRules);
  return errors.length > 0 ? { errors } : { document };
}
