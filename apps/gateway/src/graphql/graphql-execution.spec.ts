import { AnalyticsQueryError } from '@chronicle/analytics';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { FieldError } from '../http/field-error';
import { formatGraphqlError, prepareDocument } from './graphql-execution';

const errorsOf = (result: ReturnType<typeof prepareDocument>) =>
  'errors' in result ? result.errors.map((error) => error.message) : [];

const DEPTH_ERROR = 'the document is nested deeper than 8 levels';

describe('prepareDocument', () => {
  it('accepts a valid document', () => {
    const result = prepareDocument('{ myActivity { edges { cursor } } }');
    expect(result).toHaveProperty('document');
    const { document } = result as { document: DocumentNode };
    expect(document.kind).toBe(Kind.DOCUMENT);
  });

  it('accepts a document with variables and fragments', () => {
    const result = prepareDocument(`
      query Feed($after: String) {
        activities(first: 10, after: $after) { edges { node { ...Row } } pageInfo { hasNextPage endCursor } }
      }
      fragment Row on Activity { id type actor { id } entity { type id } }
    `);
    expect(errorsOf(result)).toEqual([]);
  });

  it('refuses a syntax error', () => {
    const result = prepareDocument('{ myActivity { edges { cursor }');
    expect(result).not.toHaveProperty('document');
    const errors = (result as { errors: readonly GraphQLError[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]?.message).toMatch(/^Syntax Error/);
  });

  it('refuses a field the schema does not have', () => {
    expect(errorsOf(prepareDocument('{ myActivity { edges { password } } }'))).toEqual([
      'Cannot query field "password" on type "ActivityEdge".',
    ]);
  });

  it('refuses a document of too many tokens before parsing all of it', () => {
    const aliases = Array.from({ length: 3_000 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(errorsOf(prepareDocument(`{ ${aliases} }`))[0]).toMatch(
      /^Syntax Error: Document contains more th\w+ 5000 tokens/,
    );
  });

  it('accepts 8 levels of nesting', () => {
    // __schema, types, fields, type, ofType, ofType, ofType, name: 8 levels.
    const query = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
    expect(errorsOf(prepareDocument(query))).toEqual([]);
  });

  it('refuses a document nested deeper than 8 levels', () => {
    const query =
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }';
    expect(errorsOf(prepareDocument(query))).toEqual([DEPTH_ERROR]);
  });

  it('counts the levels inside named fragments', () => {
    const query = `
      { __schema { ...Types } }
      fragment Types on __Schema { types { fields { type { ...Deep } } } }
      fragment Deep on __Type { ofType { ofType { ofType { ofType { ofType { name } } } } } }
    `;
    expect(errorsOf(prepareDocument(query))).toEqual([DEPTH_ERROR]);
  });

  it('counts a fragment where it is spread, not where it is defined', () => {
    const query = `
      { __schema { types { ...Shallow } } }
      fragment Shallow on __Type { fields { type { ofType { ofType { name } } } } }
    `;
    expect(errorsOf(prepareDocument(query))).toEqual([]);
  });

  it('stays fast on fragments spread many times over', () => {
    // Each fragment spreads the next twice: 2^30 paths if every spread were walked again.
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on __Type { a: ofType { ...F${i + 1} } b: ofType { ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ __type(name: "Activity") { ...F0 } }\n${fragments}\nfragment F30 on __Type { name }`;
    expect(errorsOf(prepareDocument(query))).toContain(DEPTH_ERROR);
  });

  it('reports a fragment cycle rather than looping', () => {
    const query = `
      { __type(name: "Activity") { ...A } }
      fragment A on __Type { ofType { ...B } }
      fragment B on __Type { ofType { ...A } }
    `;
    expect(errorsOf(prepareDocument(query))).toEqual(
      expect.arrayContaining([expect.stringMatching(/Cannot spread fragment "A" within itself/)]),
    );
  });
});

describe('formatGraphqlError', () => {
  const fromResolver = (original: Error) =>
    new GraphQLError(original.message, { path: ['activities'], originalError: original });

  it('keeps an error GraphQL itself reports', () => {
    const error = new GraphQLError('Variable "$first" got invalid value "ten"; Int cannot represent it');
    expect(formatGraphqlError(error)).toBe(error);
  });

  it('keeps a GraphQLError a resolver throws, with its code', () => {
    const forbidden = new GraphQLError('this field needs the admin role', {
      extensions: { code: 'FORBIDDEN' },
    });
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(fromResolver(forbidden), onInternal);
    expect(formatted.message).toBe('this field needs the admin role');
    expect(onInternal).not.toHaveBeenCalled();
  });

  it("maps the gateway's own input errors (a cursor, a range) to BAD_USER_INPUT naming the argument", () => {
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(
      fromResolver(new FieldError('after', 'is not a cursor')),
      onInternal,
    );
    expect(formatted.message).toBe('after: is not a cursor');
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('maps an analytics input error to BAD_USER_INPUT naming the field', () => {
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(
      fromResolver(new AnalyticsQueryError('from', 'must be a date (YYYY-MM-DD)')),
      onInternal,
    );
    expect(formatted.message).toBe('from must be a date (YYYY-MM-DD)');
    expect(formatted.path).toEqual(['activities']);
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('hides anything else behind "internal error", handing the original to onInternal', () => {
    const onInternal = jest.fn();
    const cause = new Error('relation "activity_events" does not exist at character 15');
    const formatted = formatGraphqlError(fromResolver(cause), onInternal);
    expect(formatted.message).toBe('internal error');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL' });
    expect(formatted.path).toEqual(['activities']);
    expect(JSON.stringify(formatted.toJSON())).not.toContain('activity_events');
    expect(onInternal).toHaveBeenCalledWith(cause);
  });

  it('hides an internal error without an onInternal too', () => {
    expect(formatGraphqlError(fromResolver(new Error('ECONNREFUSED 10.0.0.5:5432'))).message).toBe(
      'internal error',
    );
  });
});
