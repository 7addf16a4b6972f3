import { AnalyticsQueryError } from '@chronicle/analytics';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { FieldError } from '../http/field-error';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import { MAX_FIELDS, MAX_STORE_QUERIES } from './document-limits';
import { formatGraphqlError, MAX_DOCUMENT_LENGTH, prepareDocument } from './graphql-execution';

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
    expect(errorsOf(prepareDocument(`{ ${'x '.repeat(6_000)}}`))[0]).toMatch(
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

describe('the cost limit', () => {
  const aliases = (count: number, field: string, prefix = 'a') =>
    Array.from({ length: count }, (_, i) => `${prefix}${i}: ${field}`).join(' ');

  it(`accepts ${MAX_STORE_QUERIES} store queries, such as the nine analytics figures and a timeline`, () => {
    const query = `{
      analytics { dau { day } wau { day } mau { day } stickiness { day } retention { cohort }
                  retentionRates { day } topEntities { entityId } mostActiveUsers { events } activityMix { day } }
      ${aliases(MAX_STORE_QUERIES - 9, 'myActivity { edges { cursor } }')}
    }`;
    expect(errorsOf(prepareDocument(query))).toEqual([]);
  });

  it('refuses a 500-alias bomb by what it would run, naming both limits', () => {
    const bomb = `{ ${aliases(500, 'myActivity{pageInfo{hasNextPage}}')} }`;
    expect(errorsOf(prepareDocument(bomb))).toEqual([
      `the document selects 1500 fields, more than ${MAX_FIELDS}`,
      `the document runs 500 queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('refuses one store query more, made with aliases', () => {
    const query = `{ ${aliases(MAX_STORE_QUERIES + 1, 'myActivity { edges { cursor } }')} }`;
    expect(errorsOf(prepareDocument(query))).toEqual([
      `the document runs ${MAX_STORE_QUERIES + 1} queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('counts analytics figures asked for under aliases, in fragments and inline fragments', () => {
    const query = `
      { analytics { ...Figures ... on Analytics { ${aliases(4, 'dau { day }')} } } }
      fragment Figures on Analytics { ${aliases(9, 'mau { users }', 'm')} }
    `;
    expect(errorsOf(prepareDocument(query))).toEqual([
      `the document runs 13 queries (aliases included), more than ${MAX_STORE_QUERIES}`,
    ]);
  });

  it('multiplies a fragment by the places it is spread', () => {
    const query = `
      { a: myActivity { ...Page } b: myActivity { ...Page } }
      fragment Page on ActivityConnection { edges { node { ${aliases(130, 'id')} } } }
    `;
    // 2 × (edges + node + 130 ids) + the two roots = 266 fields: under the limit…
    expect(errorsOf(prepareDocument(query))).toEqual([]);
    // … and the same fragment spread four times over is 532.
    const twice = query.replace(
      '{ a: myActivity',
      '{ c: myActivity { ...Page } d: myActivity { ...Page } a: myActivity',
    );
    expect(errorsOf(prepareDocument(twice))).toEqual([
      `the document selects 532 fields, more than ${MAX_FIELDS}`,
    ]);
  });

  it('refuses a document longer than the limit before parsing it', () => {
    const query = `{ myActivity { edges { cursor } } } # ${'x'.repeat(MAX_DOCUMENT_LENGTH)}`;
    expect(errorsOf(prepareDocument(query))).toEqual([
      `the document is longer than ${MAX_DOCUMENT_LENGTH} characters`,
    ]);
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

  it('maps a full live-stream cap to TOO_MANY_REQUESTS with the time to wait', () => {
    const formatted = formatGraphqlError(
      fromResolver(new TooManyRequestsError('you have 10 live streams open', 60)),
    );
    expect(formatted.message).toBe('you have 10 live streams open');
    expect(formatted.extensions).toEqual({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 60 });
  });

  it('says a query that outran its statement timeout is unavailable, not internal', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const formatted = formatGraphqlError(fromResolver(cancelled));
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(formatted.message).not.toContain('canceling');
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
