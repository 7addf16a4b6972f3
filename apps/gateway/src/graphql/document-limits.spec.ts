import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { MAX_DOCUMENT_LENGTH, MAX_FIELDS, MAX_STORE_QUERIES, prepareDocument } from './document-limits';
import { buildGraphqlSchema } from './graphql-schema';

const errorsOf = (result: ReturnType<typeof prepareDocument>) =>
  'errors' in result ? result.errors.map((error) => error.message) : [];

/** The schema the gateway serves, as Nest builds it from the resolver classes. */
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphqlSchema();
});
const prepare = (query: string) => prepareDocument(schema, query);

const DEPTH_ERROR = 'the document is nested deeper than 8 levels';

describe('prepareDocument', () => {
  it('accepts a valid document', () => {
    const result = prepare('{ myActivity { edges { cursor } } }');
    expect(result).toHaveProperty('document');
    const { document } = result as { document: DocumentNode };
    expect(document.kind).toBe(Kind.DOCUMENT);
  });

  it('accepts a document with variables and fragments', () => {
    const result = prepare(`
      query Feed($after: String) {
        activities(first: 10, after: $after) { edges { node { ...Row } } pageInfo { hasNextPage endCursor } }
      }
      fragment Row on Activity { id type actor { id } entity { type id } }
    `);
    expect(errorsOf(result)).toEqual([]);
  });

  it('refuses a syntax error', () => {
    const result = prepare('{ myActivity { edges { cursor }');
    expect(result).not.toHaveProperty('document');
    const errors = (result as { errors: readonly GraphQLError[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]?.message).toMatch(/^Syntax Error/);
  });

  it('refuses a field the schema does not have', () => {
    expect(errorsOf(prepare('{ myActivity { edges { password } } }'))).toEqual([
      'Cannot query field "password" on type "ActivityEdge".',
    ]);
  });

  it('refuses a document of too many tokens before parsing all of it', () => {
    expect(errorsOf(prepare(`{ ${'x '.repeat(6_000)}}`))[0]).toMatch(
      /^Syntax Error: Document contains more th\w+ 5000 tokens/,
    );
  });

  it('accepts 8 levels of nesting', () => {
    // __schema, types, fields, type, ofType, ofType, ofType, name: 8 levels.
    const query = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
    expect(errorsOf(prepare(query))).toEqual([]);
  });

  it('refuses a document nested deeper than 8 levels', () => {
    const query =
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }';
    expect(errorsOf(prepare(query))).toEqual([DEPTH_ERROR]);
  });

  it('counts the levels inside named fragments', () => {
    const query = `
      { __schema { ...Types } }
      fragment Types on __Schema { types { fields { type { ...Deep } } } }
      fragment Deep on __Type { ofType { ofType { ofType { ofType { ofType { name } } } } } }
    `;
    expect(errorsOf(prepare(query))).toEqual([DEPTH_ERROR]);
  });

  it('counts a fragment where it is spread, not where it is defined', () => {
    const query = `
      { __schema { types { ...Shallow } } }
      fragment Shallow on __Type { fields { type { ofType { ofType { name } } } } }
    `;
    expect(errorsOf(prepare(query))).toEqual([]);
  });

  it('stays fast on fragments spread many times over', () => {
    // Each fragment spreads the next twice: 2^30 paths if every spread were walked again.
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on __Type { a: ofType { ...F${i + 1} } b: ofType { ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ __type(name: "Activity") { ...F0 } }\n${fragments}\nfragment F30 on __Type { name }`;
    expect(errorsOf(prepare(query))).toContain(DEPTH_ERROR);
  });

  it('reports a fragment cycle rather than looping', () => {
    const query = `
      { __type(name: "Activity") { ...A } }
      fragment A on __Type { ofType { ...B } }
      fragment B on __Type { ofType { ...A } }
    `;
    expect(errorsOf(prepare(query))).toEqual(
      expect.arrayContaining([expect.stringMatching(/Cannot spread fragment "A" within itself/)]),
    );
  });
});

describe('the cost limit', () => {
  const aliases = (count: number, field: string, prefix = 'a') =>
    Array.from({ length: count }, (_, i) => `${prefix}${i}: ${field}`).join(' ');

  it(`accepts ${MAX_STORE_QUERIES} store queries, such as the nine analytics figures and a timeline`, () => {
    const query = `{
      analytics { dau { day } wau { day } mau { day } stickiness { day } retention { cohort }
                  retentionRates { day } topEntities { entityId } mostActiveUsers { events } activityMix { day } }
      ${aliases(MAX_STORE_QUERIES - 9, 'myActivity { edges { cursor } }')}
    }`;
    expect(errorsOf(prepare(query))).toEqual([]);
  });

  it('refuses a 500-alias bomb by what it would run, naming both limits', () => {
    const bomb = `{ ${aliases(500, 'myActivity{pageInfo{hasNextPage}}')} }`;
    expect(errorsOf(prepare(bomb))).toEqual([
      `the document selects 1500 fields, more than ${MAX_FIELDS}`,
      `the document runs 500 queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('refuses one store query more, made with aliases', () => {
    const query = `{ ${aliases(MAX_STORE_QUERIES + 1, 'myActivity { edges { cursor } }')} }`;
    expect(errorsOf(prepare(query))).toEqual([
      `the document runs ${MAX_STORE_QUERIES + 1} queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('counts analytics figures asked for under aliases, in fragments and inline fragments', () => {
    const query = `
      { analytics { ...Figures ... on Analytics { ${aliases(4, 'dau { day }')} } } }
      fragment Figures on Analytics { ${aliases(9, 'mau { users }', 'm')} }
    `;
    expect(errorsOf(prepare(query))).toEqual([
      `the document runs 13 queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('multiplies a fragment by the places it is spread', () => {
    const query = `
      { a: myActivity { ...Page } b: myActivity { ...Page } }
      fragment Page on ActivityConnection { edges { node { ${aliases(130, 'id')} } } }
    `;
    // 2 × (edges + node + 130 ids) + the two roots = 266 fields: under the limit…
    expect(errorsOf(prepare(query))).toEqual([]);
    // … and the same fragment spread four times over is 532.
    const twice = query.replace(
      '{ a: myActivity',
      '{ c: myActivity { ...Page } d: myActivity { ...Page } a: myActivity',
    );
    expect(errorsOf(prepare(twice))).toEqual([`the document selects 532 fields, more than ${MAX_FIELDS}`]);
  });

  it('refuses a document longer than the limit before parsing it', () => {
    const query = `{ myActivity { edges { cursor } } } # ${'x'.repeat(MAX_DOCUMENT_LENGTH)}`;
    expect(errorsOf(prepare(query))).toEqual([
      `the document is longer than ${MAX_DOCUMENT_LENGTH} characters`,
    ]);
  });
});
