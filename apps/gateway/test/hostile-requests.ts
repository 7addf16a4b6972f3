import fc from 'fast-check';
import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/*
 * Generators of what an attacker or a careless client sends: for the property tests that drive every
 * route of the API document and every GraphQL field with them.
 */

/** Control characters, NUL, DEL, line breaks, unpaired surrogates, bidi and full-width forms. */
const nasty = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\t',
  '\n',
  '\r',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  '\u202e',
  '\ufeff',
  '\uff1d',
  '%',
  '%00',
  '\\',
  "'",
  '"',
  ';--',
  '${',
  '{{',
  '../',
  '*',
);

/** Any string, leaning on the ones that broke things: control characters, huge, number- and date-like. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 5 })), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1e309',
    '9'.repeat(30),
    'NaN',
    'Infinity',
    'null',
    'true',
    '[]',
    '{}',
    'garbage',
    '0000-00-00',
    '0001-01-01',
    '9999-12-31',
    '10000-01-01',
    '2026-02-30',
    '2026-13-01',
    '-infinity',
    '294277-01-01',
    '1970-01-01T00:00:00+25:00',
    'Europe/Nowhere',
    'download.*',
    '*.*',
    'app.viewed,,',
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'x'.repeat(length)),
  fc.double().map(String),
  fc
    .date({ noInvalidDate: false })
    .map((date) => (Number.isNaN(date.getTime()) ? 'Invalid' : date.toISOString())),
);

/** Percent-encodes every byte, so that invalid UTF-8 and raw control bytes reach the server as sent. */
const percentEncodeBytes = (bytes: Uint8Array) =>
  Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** `value` percent-encoded as UTF-8, byte by byte; an unpaired surrogate goes as U+FFFD, as a browser sends it. */
export const urlComponent = (value: string) => percentEncodeBytes(Buffer.from(value, 'utf8'));

/** A string as it goes into a URL: UTF-8 percent-encoded, or bytes that are not UTF-8 at all. */
export const hostileUrlComponent: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map(urlComponent) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map(percentEncodeBytes) },
);

/** A cursor as the gateway never made it: base64 of arbitrary JSON, of dates out of range, or not base64. */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  fc
    .tuple(fc.oneof(hostileString, fc.integer().map(String)), fc.oneof(hostileString, fc.uuid()))
    .map(([at, id]) => Buffer.from(JSON.stringify({ t: at, at, id })).toString('base64url')),
  fc
    .tuple(fc.integer({ min: -400_000, max: 400_000 }), fc.uuid())
    .map(([year, id]) =>
      Buffer.from(JSON.stringify([`${year}-01-01T00:00:00.000Z`, id])).toString('base64url'),
    ),
);

/** A JSON value for a body or a GraphQL variable: anything, with hostile strings inside. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  fc.integer(),
  fc.double(),
  fc.array(hostileString, { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 4 }),
);

/** Claims for a token signed with the right key: subjects, expiries and roles of every wrong shape. */
export const hostileClaims: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    sub: fc.oneof(hostileString, fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 })),
    exp: fc.oneof(
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.double(),
      hostileString,
      fc.constant(Math.floor(Date.now() / 1000) + 3_600),
    ),
    nbf: fc.oneof(fc.integer(), hostileString),
    roles: fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileString, fc.constant(['admin'])),
    role: hostileJson,
  },
  { requiredKeys: ['sub', 'exp'] },
);

export interface GraphqlOperation {
  /** `query` or `subscription`. */
  kind: 'query' | 'subscription';
  /** The field's coordinate, `Query.activities`, `Analytics.topEntities`. */
  field: string;
  query: string;
  variables: Record<string, unknown>;
  /** The argument names a BAD_USER_INPUT may name (with the filter's fields). */
  argumentNames: string[];
}

/** The GraphQL type of a variable for `type` (its name with `!` and `[…]`). */
const typeName = (type: GraphQLInputType): string =>
  isNonNullType(type)
    ? `${typeName(type.ofType)}!`
    : isListType(type)
      ? `[${typeName(type.ofType)}]`
      : getNamedType(type).name;

/** A value for an argument: valid-looking or not, of its type or of another. */
function argumentValue(type: GraphQLInputType, name: string): fc.Arbitrary<unknown> {
  if (name === 'after') return fc.oneof(hostileCursor, hostileJson);
  const named = getNamedType(type);
  const ofItsType: fc.Arbitrary<unknown> = isInputObjectType(named)
    ? fc.record(
        Object.fromEntries(
          Object.values(named.getFields()).map((field) => [
            field.name,
            argumentValue(field.type, field.name),
          ]),
        ),
        { requiredKeys: [] },
      )
    : named.name === 'Int'
      ? fc.oneof(fc.integer(), fc.integer({ min: -5, max: 400 }), fc.constant(2 ** 31))
      : named.name === 'String'
        ? hostileString
        : hostileJson;
  const value = isListType(isNonNullType(type) ? type.ofType : type)
    ? fc.array(ofItsType, { maxLength: 4 })
    : ofItsType;
  return fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: hostileJson });
}

/**
 * Every field of the schema that takes arguments or runs a query, as operations with generated
 * variables: the root fields, and the analytics figures under `analytics(…)`.
 */
export function graphqlOperations(schema: GraphQLSchema): fc.Arbitrary<GraphqlOperation>[] {
  /** Every field below `field`, three levels down: what a client reading everything asks for. */
  const selection = (field: GraphQLField<unknown, unknown>, depth = 0): string => {
    const type = getNamedType(field.type);
    if (!isObjectType(type)) return '';
    if (depth === 3) return '{ __typename }';
    const children = Object.values(type.getFields()).map(
      (child) => `${child.name} ${selection(child, depth + 1)}`,
    );
    return `{ ${children.join(' ')} }`;
  };
  const operation = (
    kind: 'query' | 'subscription',
    coordinate: string,
    args: readonly GraphQLArgument[],
    document: (argumentList: string, variableList: string) => string,
  ): fc.Arbitrary<GraphqlOperation> =>
    fc
      .record(Object.fromEntries(args.map((arg) => [arg.name, argumentValue(arg.type, arg.name)])), {
        requiredKeys: [],
      })
      .map((variables) => {
        const variableList = args.map((arg) => `$${arg.name}: ${typeName(arg.type)}`).join(', ');
        const argumentList = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
        const filterFields = args.flatMap((arg) => {
          const named = getNamedType(arg.type);
          return isInputObjectType(named) ? Object.keys(named.getFields()) : [];
        });
        return {
          kind,
          field: coordinate,
          query: document(argumentList ? `(${argumentList})` : '', variableList ? `(${variableList})` : ''),
          variables,
          argumentNames: [...args.map((arg) => arg.name), ...filterFields],
        };
      });

  const operations: fc.Arbitrary<GraphqlOperation>[] = [];
  for (const [kind, root] of [
    ['query', schema.getQueryType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const coordinate = `${root?.name}.${field.name}`;
      const type = getNamedType(field.type);
      if (field.name === 'analytics' && isObjectType(type)) {
        // Each figure under analytics(from, to, types), with both levels' arguments generated.
        for (const figure of Object.values(type.getFields()))
          operations.push(
            operation(
              kind,
              `${type.name}.${figure.name}`,
              [...field.args, ...figure.args],
              (_a, variables) => {
                const outer = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
                const inner = figure.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
                return `${kind} ${variables} { analytics${outer ? `(${outer})` : ''} { ${figure.name}${
                  inner ? `(${inner})` : ''
                } ${selection(figure)} } }`;
              },
            ),
          );
        continue;
      }
      operations.push(
        operation(
          kind,
          coordinate,
          field.args,
          (args, variables) => `${kind} ${variables} { ${field.name}${args} ${selection(field)} }`,
        ),
      );
    }
  }
  return operations;
}
