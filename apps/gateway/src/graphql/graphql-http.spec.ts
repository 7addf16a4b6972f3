import request from 'supertest';
import { activityRecord, createGraphqlTestApp, type GraphqlTestApp } from '../../test/graphql-test-app';
import { MAX_DOCUMENT_LENGTH, MAX_STORE_QUERIES } from './document-limits';

interface Reply {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

describe('GraphQL over HTTP (Apollo Server through @nestjs/apollo)', () => {
  let t: GraphqlTestApp;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    t = await createGraphqlTestApp({
      GATEWAY_RATE_LIMIT_PER_MINUTE: '20',
      GATEWAY_GRAPHQL_MAX_IN_FLIGHT_PER_CALLER: '1',
    });
    admin = await t.token('root', true);
    user = await t.token('u_1');
  });

  afterAll(async () => {
    await t?.close();
  });

  beforeEach(() => {
    t.stores.pages = [];
    t.stores.filters = [];
    t.stores.audit = [];
    t.stores.analytics = {};
    // Each test starts with a full budget.
    t.storage.storage.clear();
  });

  const post = (body: unknown, token?: string) => {
    const call = request(t.app.getHttpServer()).post('/graphql').set('Content-Type', 'application/json');
    return (token ? call.set('Authorization', `Bearer ${token}`) : call).send(JSON.stringify(body));
  };
  const query = async (document: string, token: string, variables?: Record<string, unknown>) => {
    const response = await post({ query: document, variables }, token);
    return { status: response.status, body: response.body as Reply };
  };

  it("gives myActivity's nodes the sentence of their type beside the raw fields, for the caller only", async () => {
    t.stores.pages = [
      activityRecord('b', 'download.initiated', { downloadId: 'dl_1', version: '3.4.1', sizeBytes: 1 }),
      activityRecord('a', 'app.viewed', { referrer: 'search' }),
    ];
    const { status, body } = await query(
      '{ myActivity { edges { node { id type sentence metadata } } } }',
      user,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        myActivity: {
          edges: [
            {
              node: {
                id: 'b',
                type: 'download.initiated',
                sentence: 'Started downloading app_42 (3.4.1)',
                metadata: { downloadId: 'dl_1', version: '3.4.1', sizeBytes: 1 },
              },
            },
            {
              node: {
                id: 'a',
                type: 'app.viewed',
                sentence: 'Viewed app app_42',
                metadata: { referrer: 'search' },
              },
            },
          ],
        },
      },
    });
    expect(t.stores.filters[0]).toMatchObject({ actorId: 'u_1', actorType: 'user' });
  });

  it("answers the admin search with sentences and records the admin's read", async () => {
    t.stores.pages = [activityRecord('c', 'app.archived', {})];
    const { body } = await query(
      '{ activities(filter: { types: ["app.*"] }) { edges { node { sentence } } } }',
      admin,
    );
    expect(body).toEqual({
      data: { activities: { edges: [{ node: { sentence: 'App archived: app_42' } }] } },
    });
    expect(t.stores.audit).toEqual([
      expect.objectContaining({
        type: 'admin.activities_viewed',
        actor: { type: 'user', id: 'root' },
        metadata: { filters: ['type'], channel: 'graphql', results: 1 },
      }),
    ]);
  });

  it.each([
    ['activities(filter: { types: ["no.such_type"] })', 'types'],
    ['activities(filter: { userId: "u\\u0000" })', 'userId'],
    ['activities(after: "not a cursor")', 'after'],
    ['activities(filter: { from: "yesterday" })', 'from'],
    ['activities(first: 1001)', 'first'],
    ['myActivity(days: 91)', 'days'],
  ])('refuses %s as BAD_USER_INPUT naming %s as GraphQL spells it', async (field, name) => {
    const { status, body } = await query(`{ ${field} { edges { cursor } } }`, admin);
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: name });
    expect(body.errors?.[0]?.message).toMatch(new RegExp(`^${name}: `));
    expect(t.stores.filters).toEqual([]);
  });

  it('computes only the analytics figures asked for, over the checked range', async () => {
    const dau = jest.fn(async () => [{ day: '2026-11-01', users: 3 }]);
    const top = jest.fn(async () => [{ entityId: 'app_1', entityKey: null, events: 5, users: 2 }]);
    t.stores.analytics = { dailyActiveUsersSeries: dau, topEntities: top };
    const { body } = await query(
      '{ analytics(from: "2026-11-01", to: "2026-11-02", tz: "Asia/Kolkata") { timeZone dau { day users } topEntities(limit: 3) { entityId events } } }',
      admin,
    );
    expect(body).toEqual({
      data: {
        analytics: {
          timeZone: 'Asia/Kolkata',
          dau: [{ day: '2026-11-01', users: 3 }],
          topEntities: [{ entityId: 'app_1', events: 5 }],
        },
      },
    });
    expect(dau).toHaveBeenCalledWith({ from: '2026-11-01', to: '2026-11-02', tz: 'Asia/Kolkata' });
    expect(top).toHaveBeenCalledWith({
      from: '2026-11-01',
      to: '2026-11-02',
      tz: 'Asia/Kolkata',
      entityType: 'app',
      limit: 3,
      rank: 'events',
    });
  });

  it('refuses an analytics range that is not one, naming the argument', async () => {
    const { body } = await query('{ analytics(from: "2026-13-01") { dau { day } } }', admin);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it.each(['{ activities { edges { cursor } } }', '{ analytics { dau { day } } }'])(
    'answers FORBIDDEN to a user without the admin role asking %s, running nothing',
    async (document) => {
      const { status, body } = await query(document, user);
      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors?.[0]).toMatchObject({
        message: 'this field needs the admin role',
        extensions: { code: 'FORBIDDEN' },
      });
      expect(t.stores.filters).toEqual([]);
    },
  );

  it('answers 401 to a request without a valid token, before reading its body', async () => {
    for (const token of [undefined, 'not-a-jwt']) {
      const response = await post({ query: '{ myActivity { edges { cursor } } }' }, token);
      expect(response.status).toBe(401);
    }
    // A body that is not JSON is not even looked at.
    const garbage = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send('{ not json');
    expect(garbage.status).toBe(401);
    expect(t.stores.filters).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await request(t.app.getHttpServer())
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('Authorization', `Bearer ${user}`)
      .send('{ not json');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ field: 'body' });
  });

  it.each([
    ['a syntax error', '{ myActivity { edges { cursor }', /^Syntax Error/],
    ['an unknown field', '{ myActivity { edges { password } } }', /^Cannot query field "password"/],
    [
      'an alias bomb',
      `{ ${Array.from({ length: MAX_STORE_QUERIES + 1 }, (_, i) => `a${i}: myActivity { pageInfo { hasNextPage } }`).join(' ')} }`,
      /queries \(aliases included\), more than 12/,
    ],
    [
      'a document too deep',
      '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }',
      /nested deeper than 8 levels/,
    ],
    ['a subscription', 'subscription { activityAdded { id } }', /^subscriptions go over WebSocket/],
  ])('answers 400 to %s without running it', async (_what, document, message) => {
    const { status, body } = await query(document, admin);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(message);
    expect(t.stores.filters).toEqual([]);
  });

  it('answers 400 to a document too long before Apollo Server parses it', async () => {
    const response = await post(
      { query: `{ myActivity { edges { cursor } } } # ${'x'.repeat(MAX_DOCUMENT_LENGTH)}` },
      admin,
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      field: 'query',
      message: `query: the document is longer than ${MAX_DOCUMENT_LENGTH} characters`,
    });
  });

  it('hides an internal error behind "internal error", logging the cause', async () => {
    t.stores.analytics = {
      stickiness: jest.fn(async () => {
        throw new Error('relation "activity_events" does not exist at character 15');
      }),
    };
    const response = await post({ query: '{ analytics { stickiness { day } } }' }, admin);
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('activity_events');
    expect((response.body as Reply).errors?.[0]).toMatchObject({
      message: 'internal error',
      path: ['analytics', 'stickiness'],
      extensions: { code: 'INTERNAL' },
    });
    expect(t.logger.error).toHaveBeenCalledWith('graphql resolver failed', {
      error: expect.stringContaining('activity_events'),
    });
  });

  it("counts each request against its caller's rate limit, once however many fields it asks for", async () => {
    const budget = await t.token('u_budget');
    const many = '{ a: myActivity { pageInfo { hasNextPage } } b: myActivity { pageInfo { hasNextPage } } }';
    for (let i = 0; i < 20; i++) expect((await query(many, budget)).status).toBe(200);
    const refused = await post({ query: many }, budget);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another caller has a budget of its own.
    expect((await query(many, user)).status).toBe(200);
  });

  it('answers 429 to a second query of one caller while the first is still running, and frees its place', async () => {
    let release!: () => void;
    t.stores.pageGate = new Promise<void>((resolve) => (release = resolve));
    const first = post({ query: '{ myActivity { pageInfo { hasNextPage } } }' }, user).then((r) => r.status);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await post({ query: '{ myActivity { pageInfo { hasNextPage } } }' }, user);
    expect(second.status).toBe(429);
    release();
    t.stores.pageGate = undefined;
    expect(await first).toBe(200);
    expect(t.limits.graphqlOperations.inUse).toBe(0);
    expect((await query('{ myActivity { pageInfo { hasNextPage } } }', user)).status).toBe(200);
  });
});
