import { createPseudonymizer, toActivityEvent, uuidv7, type ActivityInput } from '@chronicle/contracts';
import { parse } from 'csv-parse';
import { createHash } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { waitFor } from '@chronicle/stack';
import { SignJWT, UnsecuredJWT } from 'jose';
import {
  ALLOWED_ORIGIN,
  COLLECTOR_SOURCE,
  createPipelineTestBed,
  PIPELINE_PSEUDONYM_SECRET,
  SDK_SOURCE,
  TEST_JWT_SECRET,
  type PipelineTestBed,
} from '../test/pipeline-test-bed';
import { openGraphqlSubscription, openServerSentEvents } from '../test/live-clients';
import { createDocumentedGateway } from './openapi/documented-gateway';
import { OPENAPI_DOC_PATH } from './openapi/openapi-doc-files';
import { buildOpenApiDocument } from './openapi/openapi-document';

jest.setTimeout(300_000);

interface GraphqlReply {
  data?: { analytics: { topEntities: unknown[] } } | null;
  errors?: { message: string; extensions: { code: string } }[];
}

const today = () => new Date().toISOString().slice(0, 10);
const pseudonymize = createPseudonymizer(PIPELINE_PSEUDONYM_SECRET);

describe('the gateway over the running pipeline', () => {
  let bed: PipelineTestBed;
  let admin: string;

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${bed.gatewayUrl}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  const getJson = async <T>(path: string, token: string): Promise<T> => {
    const response = await get(path, token);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.body}`);
    return JSON.parse(response.body) as T;
  };
  const collect = (events: unknown[], apiKey = bed.apiKey) =>
    fetch(`${bed.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ events }),
    });
  const graphql = async (query: string, token: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${bed.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphqlReply };
  };

  beforeAll(async () => {
    bed = await createPipelineTestBed('gateway_e2e');
    admin = await bed.token('e2e-admin', { admin: true });
  }, 240_000);

  afterAll(async () => {
    await bed?.teardown();
  });

  it('shows events from the SDK and from POST /v1/events live within 1 s, then in the timeline, search, export and analytics', async () => {
    const user = `u_live_${uuidv7().slice(-8)}`;
    const sse = await openServerSentEvents(
      `${bed.gatewayUrl}/api/admin/activities/stream?userId=${user}`,
      admin,
    );
    const ws = await openGraphqlSubscription(bed.gatewayUrl.replace('http', 'ws') + '/graphql', admin, {
      userId: user,
    });
    try {
      // A subscription is live once the gateway has registered it; an event of another user must not show.
      const viewed: ActivityInput = {
        type: 'app.viewed',
        actor: { type: 'user', id: user },
        entity: { type: 'app', id: 'app_live' },
        metadata: { referrer: 'search' },
      };
      const collected = toActivityEvent(
        {
          type: 'favorite.added',
          actor: { type: 'user', id: user },
          entity: { type: 'app', id: 'app_live' },
          metadata: { surface: 'app_page' },
        },
        { source: COLLECTOR_SOURCE },
      );
      const publishedAt = Date.now();
      expect(await bed.sdk.logAsync(viewed)).toBe(true);
      bed.sdk.log({ ...viewed, actor: { type: 'user', id: `${user}_other` } });
      const reply = await collect([collected]);
      expect(reply.status).toBe(200);
      expect(await reply.json()).toEqual({
        accepted: 1,
        rejected: 0,
        results: [{ index: 0, id: collected.id, status: 'accepted' }],
      });

      for (const receiver of [sse, ws]) {
        await waitFor(() => receiver.received.length >= 2, { timeoutMs: 1_000, what: 'both live events' });
        expect(receiver.received.every((r) => r.at - publishedAt <= 1_000)).toBe(true);
        expect(receiver.received.map((r) => r.activity['type']).sort()).toEqual([
          'app.viewed',
          'favorite.added',
        ]);
        expect(receiver.received.every((r) => (r.activity['actor'] as { id: string }).id === user)).toBe(
          true,
        );
      }

      await bed.caughtUp();
      const userToken = await bed.token(user);
      const timeline = await getJson<{
        groups: { date: string; activities: { id: string; type: string; sentence: string }[] }[];
      }>('/api/users/me/activity?tz=UTC', userToken);
      expect(timeline.groups).toHaveLength(1);
      expect(timeline.groups[0]?.date).toBe(today());
      expect(timeline.groups[0]?.activities.map((a) => a.type).sort()).toEqual([
        'app.viewed',
        'favorite.added',
      ]);
      // What happened, in words, beside the raw fields; GraphQL says the same.
      const sentences = [
        ['app.viewed', 'Viewed app app_live'],
        ['favorite.added', 'Added app app_live to favorites'],
      ];
      expect(timeline.groups[0]?.activities.map((a) => [a.type, a.sentence]).sort()).toEqual(sentences);
      const mine = await graphql('{ myActivity { edges { node { type sentence } } } }', userToken);
      type Edges = { edges: { node: { type: string; sentence: string } }[] };
      const { edges } = (mine.body.data as unknown as { myActivity: Edges }).myActivity;
      expect(edges.map(({ node }) => [node.type, node.sentence]).sort()).toEqual(sentences);

      const search = await getJson<{ items: { id: string; source: string }[] }>(
        `/api/admin/activities?userId=${user}`,
        admin,
      );
      expect(search.items.map((item) => item.source).sort()).toEqual([COLLECTOR_SOURCE, SDK_SOURCE]);

      const exported = await get(`/api/admin/activities/export?userId=${user}&format=ndjson`, admin);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(
        /^attachment; filename="chronicle-activities-.+\.ndjson"$/,
      );
      const lines = exported.body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { id: string });
      expect(lines.map((line) => line.id).sort()).toEqual(search.items.map((item) => item.id).sort());

      type DauReply = { timeZone: string; series: { day: string; users: number; complete: boolean }[] };
      const dau = await getJson<DauReply>(
        `/api/admin/analytics/dau?from=${today()}&to=${today()}&type=app.viewed,favorite.*`,
        admin,
      );
      // This test's user and the other one (only this test file writes to this pipeline's stores so far);
      // today is not over.
      expect(dau).toEqual({ timeZone: 'UTC', series: [{ day: today(), users: 2, complete: false }] });
      // The same days counted from the raw events (any zone but UTC reads them): the same figure.
      expect(
        await getJson<DauReply>(
          `/api/admin/analytics/dau?from=${today()}&to=${today()}&type=app.viewed,favorite.*&tz=Etc/GMT`,
          admin,
        ),
      ).toEqual({ ...dau, timeZone: 'Etc/GMT' });
      const top = await graphql(
        `query { analytics(from: "${today()}", to: "${today()}") { topEntities(entityType: "app") { entityId events } } }`,
        admin,
      );
      expect(top.body.data?.analytics.topEntities).toEqual([{ entityId: 'app_live', events: 3 }]);
    } finally {
      sse.close();
      ws.close();
    }
  });

  /** Each string column of the ClickHouse database (materialized views hold nothing of their own). */
  async function clickhouseStringColumns(): Promise<{ table: string; name: string }[]> {
    const result = await bed.clickhouse.query({
      query: `SELECT c.table AS table, c.name AS name FROM system.columns c
                JOIN system.tables t ON t.database = c.database AND t.name = c.table
               WHERE c.database = {db:String} AND t.engine != 'MaterializedView'
                 AND c.type LIKE '%String%' AND c.type NOT LIKE 'AggregateFunction%'`,
      query_params: { db: bed.clickhouseDatabase },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  /** The columns holding any of `needles`, with how many rows do (a substring search, in every row). */
  async function clickhouseColumnsHolding(needles: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const { table, name } of await clickhouseStringColumns()) {
      const result = await bed.clickhouse.query({
        query: `SELECT count() AS n FROM {db:Identifier}.{table:Identifier}
                 WHERE multiSearchAny(toString({column:Identifier}), {needles:Array(String)})`,
        query_params: { db: bed.clickhouseDatabase, table, column: name, needles },
        format: 'JSONEachRow',
      });
      const [{ n } = { n: '0' }] = await result.json<{ n: string }>();
      if (Number(n) > 0) found.push(`${table}.${name}`);
    }
    return found;
  }

  it('keeps ClickHouse pseudonymous after a run: no actor id in any table, and people named through Postgres', async () => {
    const run = `u_priv_${uuidv7().slice(-8)}`;
    const users = Array.from({ length: 25 }, (_, i) => `${run}_${i}`);
    const service = `${run}_svc`;
    users.forEach((user, i) => {
      for (let n = 0; n <= i; n++)
        bed.sdk.log({
          type: 'app.viewed',
          actor: { type: 'user', id: user },
          entity: { type: 'app', id: `${run}_app_${n % 3}` },
          metadata: { referrer: 'search', position: n },
        });
      bed.sdk.log({
        type: 'user.logged_in',
        actor: { type: 'user', id: user },
        metadata: { method: 'sso', mfa: true },
      });
    });
    bed.sdk.log({
      type: 'job.started',
      actor: { type: 'service', id: service },
      metadata: { jobType: 'library_scan', runId: 'run_e2e_1', trigger: 'schedule', attempt: 1 },
    });
    await bed.caughtUp();

    // The scan finds what is there (entity ids that are not people are kept as they are)…
    expect(await clickhouseColumnsHolding([`${run}_app_`])).toContain('events.entity_id');
    // …and no actor id of this run is anywhere, in any table or column; only their pseudonyms are.
    expect(await clickhouseStringColumns()).not.toEqual([]);
    expect(await clickhouseColumnsHolding([...users, service])).toEqual([]);
    expect(await clickhouseColumnsHolding([pseudonymize('user', users[0] as string)])).toContain(
      'events.actor_key',
    );

    // The identified view names them, through the pseudonym table the ingest worker keeps in Postgres.
    const { users: ranked } = await getJson<{ users: { actorId: string | null; events: number }[] }>(
      `/api/admin/analytics/most-active-users?from=${today()}&to=${today()}&type=app.viewed&limit=1000`,
      admin,
    );
    const ours = ranked.filter((user) => user.actorId?.startsWith(`${run}_`));
    expect(ours.map((user) => [user.actorId, user.events])).toEqual(
      users.map((user, i) => [user, i + 1]).reverse(),
    );
  });

  it('walks every page of an admin search and gets each matching row exactly once while new events arrive', async () => {
    const type = 'search.performed';
    const seeded = Array.from({ length: 3_000 }, (_, i): ActivityInput => ({
      type,
      actor: { type: 'user', id: `u_walk_${i % 97}` },
      metadata: { query: 'jazz', resultCount: i % 50, scope: 'apps' },
      time: new Date(Date.now() - 60_000 - i * 10),
    }));
    for (const input of seeded) bed.sdk.log(input);
    await bed.caughtUp();
    const [{ n }] = await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM activity_events WHERE activity_type = $1`,
      [type],
    );
    expect(n).toBe(3_000);

    // Newer events keep arriving while the pages are read.
    let publishing = true;
    const writer = (async () => {
      while (publishing) {
        for (const input of seeded.slice(0, 50)) bed.sdk.log({ ...input, time: new Date() });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string; type: string }[]; nextCursor: string | null } = await getJson(
        `/api/admin/activities?type=search.*&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        admin,
      );
      for (const item of page.items) {
        expect(item.type).toBe(type);
        seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    publishing = false;
    await writer;

    const stored: { id: string }[] = await bed.dataSource.query(
      `SELECT id FROM activity_events WHERE activity_type = $1 AND occurred_at < now() - interval '50 seconds'`,
      [type],
    );
    expect(stored).toHaveLength(3_000);
    for (const { id } of stored) expect(seen.get(id)).toBe(1);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(pages).toBeGreaterThanOrEqual(30);
  });

  it('pages the GraphQL activities connection like the REST search, with the same filters', async () => {
    const to = new Date(Date.now() - 50_000).toISOString();
    const rest = await getJson<{ items: { id: string }[]; nextCursor: string }>(
      `/api/admin/activities?type=search.*&to=${to}&limit=60`,
      admin,
    );
    const query = `query ($after: String, $to: String) {
      activities(filter: { types: ["search.*"], to: $to }, first: 30, after: $after) {
        edges { cursor node { id type } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type Connection = {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
    const first = await graphql(query, admin, { to });
    const page1 = (first.body.data as unknown as { activities: Connection }).activities;
    const second = await graphql(query, admin, { to, after: page1.pageInfo.endCursor });
    const page2 = (second.body.data as unknown as { activities: Connection }).activities;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect([...page1.edges, ...page2.edges].map((edge) => edge.node.id)).toEqual(
      rest.items.map((item) => item.id),
    );
  });

  describe('access', () => {
    const userRoutes = ['/api/users/me/activity', `/api/users/me/activity/erasures/${uuidv7()}`];
    const adminRoutes = [
      '/api/admin/activities',
      '/api/admin/activities/export',
      '/api/admin/activities/stream',
      ...[
        'dau',
        'wau',
        'mau',
        'stickiness',
        'retention',
        'retention/rates',
        'top-entities',
        'most-active-users',
        'activity-mix',
      ].map((name) => `/api/admin/analytics/${name}`),
    ];

    it('gives 401 to every route without a valid token: none, malformed, wrongly signed, expired, alg none', async () => {
      const secret = new TextEncoder().encode(TEST_JWT_SECRET);
      const now = Math.floor(Date.now() / 1000);
      const bad: Record<string, string | undefined> = {
        none: undefined,
        malformed: 'not-a-jwt',
        wronglySigned: await bed.token('e2e-admin', {
          admin: true,
          secret: 'another-secret-of-at-least-32-bytes!!',
        }),
        expired: await new SignJWT({ roles: ['admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('e2e-admin')
          .setIssuedAt(now - 7_200)
          .setExpirationTime(now - 3_600)
          .sign(secret),
        algNone: new UnsecuredJWT({ roles: ['admin'] })
          .setSubject('e2e-admin')
          .setExpirationTime('1h')
          .encode(),
      };
      for (const route of [...userRoutes, ...adminRoutes]) {
        for (const [name, token] of Object.entries(bad)) {
          const response = await get(route, token);
          expect({ route, name, status: response.status }).toEqual({ route, name, status: 401 });
          expect(response.body).not.toMatch(/"items"|"series"|"groups"/);
        }
      }
      const deleted = await fetch(`${bed.gatewayUrl}/api/users/me/activity`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${bad['algNone']}` },
      });
      expect(deleted.status).toBe(401);
      const graph = await fetch(`${bed.gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bad['expired']}` },
        body: JSON.stringify({ query: '{ myActivity { edges { cursor } } }' }),
      });
      expect(graph.status).toBe(401);
    });

    it('gives 403 to a user without the admin role on every admin route and admin GraphQL field', async () => {
      const user = await bed.token('u_plain');
      for (const route of adminRoutes) {
        const response = await get(route, user);
        expect({ route, status: response.status }).toEqual({ route, status: 403 });
        expect(response.body).not.toMatch(/"items"|"series"|"cohorts"|"users"/);
      }
      const forbidden = await graphql('{ activities { edges { node { id } } } }', user);
      expect(forbidden.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
      expect(forbidden.body.data).toBeNull();
    });

    it("never shows user A user B's activity or erasure", async () => {
      const [a, b] = ['u_alice_e2e', 'u_bob_e2e'];
      bed.sdk.log({
        type: 'app.viewed',
        actor: { type: 'user', id: b },
        entity: { type: 'app', id: 'app_b' },
        metadata: { referrer: 'home' },
      });
      await bed.caughtUp();
      const tokenA = await bed.token(a);
      const tokenB = await bed.token(b);
      // B sees their own activity (so the store has it), A does not, whatever A passes: "me" is A.
      expect((await get('/api/users/me/activity', await bed.token(b))).body).toContain('app_b');
      const mine = await get(`/api/users/me/activity?userId=${b}`, tokenA);
      expect(mine.status).toBe(200);
      expect(mine.body).not.toContain(b);
      const erasure = await fetch(`${bed.gatewayUrl}/api/users/me/activity`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tokenB}` },
      });
      expect(erasure.status).toBe(202);
      const { requestId } = (await erasure.json()) as { requestId: string };
      // From the first moment, before any worker has read it: A learns nothing of B's request.
      expect((await get(`/api/users/me/activity/erasures/${requestId}`, tokenA)).status).toBe(404);
      await waitFor(
        async () =>
          (await get(`/api/users/me/activity/erasures/${requestId}`, tokenB)).body.includes('"completed"'),
        {
          timeoutMs: 60_000,
          what: "B's erasure to complete in Postgres",
        },
      );
      const peek = await get(`/api/users/me/activity/erasures/${requestId}`, tokenA);
      expect(peek.status).toBe(404);
      expect(peek.body).not.toContain('rowsDeleted');
    });

    it('closes a graphql-ws connection without a valid token before any subscription', async () => {
      const wsUrl = `${bed.gatewayUrl.replace('http', 'ws')}/graphql`;
      await expect(openGraphqlSubscription(wsUrl, 'not-a-jwt', {})).rejects.toThrow(
        'graphql-ws closed: 4403',
      );
      const user = await bed.token('u_plain_ws');
      const subscription = await openGraphqlSubscription(wsUrl, user, {});
      try {
        await waitFor(() => subscription.errors.length > 0, {
          timeoutMs: 5_000,
          what: 'the FORBIDDEN error',
        });
        expect(JSON.stringify(subscription.errors)).toContain('FORBIDDEN');
      } finally {
        subscription.close();
      }
    });

    it('sends security headers, and CORS headers to the configured origin only', async () => {
      const docs = await fetch(`${bed.gatewayUrl}/api/docs/openapi.json`);
      expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
      expect(docs.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(docs.headers.get('x-powered-by')).toBeNull();
      const preflight = (origin: string) =>
        fetch(`${bed.gatewayUrl}/api/admin/activities`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      expect((await preflight(ALLOWED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(
        ALLOWED_ORIGIN,
      );
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('needs the API key of the source for POST /v1/events', async () => {
      const event = toActivityEvent(
        {
          type: 'app.viewed',
          actor: { type: 'user', id: 'u_key' },
          entity: { type: 'app', id: 'a' },
          metadata: { referrer: 'home' },
        },
        { source: COLLECTOR_SOURCE },
      );
      expect((await collect([event], '')).status).toBe(401);
      expect((await collect([event], 'x'.repeat(48))).status).toBe(401);
      const withToken = await fetch(`${bed.gatewayUrl}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ events: [event] }),
      });
      expect(withToken.status).toBe(401);
    });
  });

  it('answers bad input with 400 naming the field, per-event results, 404 for unknown routes, and no stack traces', async () => {
    const cases: [string, string][] = [
      ['/api/admin/activities?limit=5000', 'limit'],
      ['/api/admin/activities?type=dowload.*', 'type'],
      ['/api/admin/activities?from=yesterday', 'from'],
      ['/api/admin/activities?cursor=garbage', 'cursor'],
      ['/api/admin/activities/export?format=xlsx', 'format'],
      ['/api/admin/analytics/dau?from=2026-02-30', 'from'],
      ['/api/admin/analytics/retention?granularity=year', 'granularity'],
    ];
    for (const [path, field] of cases) {
      const response = await get(path, admin);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(JSON.parse(response.body)).toMatchObject({ statusCode: 400, field });
    }
    const days = await get('/api/users/me/activity?days=91', await bed.token('u_days'));
    expect(JSON.parse(days.body)).toMatchObject({ statusCode: 400, field: 'days' });

    const valid = toActivityEvent(
      {
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_mixed' },
        entity: { type: 'app', id: 'a' },
        metadata: { referrer: 'home' },
      },
      { source: COLLECTOR_SOURCE },
    );
    const mixed = await collect([
      valid,
      { ...valid, id: 'nope' },
      { ...valid, id: uuidv7(), source: '/services/other' },
    ]);
    expect(mixed.status).toBe(200);
    const body = (await mixed.json()) as {
      accepted: number;
      rejected: number;
      results: { status: string; problems?: { path: string }[] }[];
    };
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected']);
    expect(body.results[1]?.problems?.[0]?.path).toBe('id');
    expect(body.results[2]?.problems?.[0]?.path).toBe('source');
    // Accepted means stored: what the ingest worker would drop or dead-letter is refused, naming the time.
    const outOfWindow = await collect(
      [
        new Date(Date.now() + 3 * 86_400_000).toISOString(),
        '2999-01-01T00:00:00Z',
        '0001-01-01T00:00:00Z',
      ].map((time) => ({ ...valid, id: uuidv7(), time })),
    );
    const windowReply = (await outOfWindow.json()) as typeof body;
    expect(windowReply).toMatchObject({ accepted: 0, rejected: 3 });
    expect(windowReply.results.map((r) => r.problems?.[0]?.path)).toEqual(['time', 'time', 'time']);
    // Ids are keys, not personal data: a phone number as the actor, a card number as the entity.
    const personal = await collect([
      { ...valid, id: uuidv7(), data: { ...valid.data, actor: { type: 'user', id: '+1 415 555 0100' } } },
      {
        ...valid,
        id: uuidv7(),
        subject: 'app/5500 0000 0000 0004',
        data: { ...valid.data, entity: { type: 'app', id: '5500 0000 0000 0004' } },
      },
    ]);
    const personalReply = (await personal.json()) as typeof body;
    expect(personalReply).toMatchObject({ accepted: 0, rejected: 2 });
    expect(personalReply.results.map((r) => r.problems?.[0])).toEqual([
      { path: 'data.actor.id', message: 'looks like a phone number (ids must be opaque)' },
      { path: 'data.entity.id', message: 'looks like a payment card number (ids must be opaque)' },
    ]);
    expect((await collect([])).status).toBe(400);
    expect((await collect(Array.from({ length: 1_001 }, () => valid))).status).toBe(400);
    const notJson = await fetch(`${bed.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': bed.apiKey },
      body: '{"events": [',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toMatch(/at .+\.(js|ts):\d+/);

    const tooLarge = await fetch(`${bed.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': bed.apiKey },
      body: JSON.stringify({ events: [{ padding: 'x'.repeat(3 * 1024 * 1024) }] }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ statusCode: 413, field: 'body' });

    const unknown = await get('/api/nothing-here', admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toMatch(/at .+\.(js|ts):\d+/);

    // The local dev sign-in is off unless GATEWAY_DEV_SIGN_IN says otherwise: its route does not exist.
    const devToken = await fetch(`${bed.gatewayUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'e2e-intruder', admin: true }),
    });
    expect(devToken.status).toBe(404);
    expect(await devToken.json()).not.toHaveProperty('token');
    expect((await get('/api/dev/token')).status).toBe(404);
  });

  it('limits each caller to one budget across routes and header spellings, with 429 and Retry-After', async () => {
    const noisy = await bed.token('u_noisy');
    const spellings = [`Bearer ${noisy}`, `bearer ${noisy}`, `BEARER ${noisy}`, `Bearer  ${noisy}`];
    const paths = ['/api/users/me/activity?days=1&limit=1', `/api/users/me/activity/erasures/${uuidv7()}`];
    const statuses: number[] = [];
    for (let i = 0; i < 1_010; i++) {
      const response = await fetch(`${bed.gatewayUrl}${paths[i % 2]}`, {
        headers: { authorization: spellings[i % spellings.length] as string },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    // Every spelling is the same verified user, and both routes draw on the same budget.
    expect(statuses.filter((s) => s !== 429)).toHaveLength(1_000);
    expect(statuses.slice(0, 1_000).every((s) => s === 200 || s === 404)).toBe(true);
    expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
    const limited = await get('/api/users/me/activity', noisy);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/api/users/me/activity', await bed.token('u_quiet'))).status).toBe(200);
  });

  it('does not give a collector a fresh budget for a made-up Authorization header', async () => {
    // The collector's budget is its source's: a random bearer token beside the key changes nothing.
    const withRandomBearer = () =>
      fetch(`${bed.gatewayUrl}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': bed.apiKey,
          authorization: `Bearer ${uuidv7()}`,
        },
        body: JSON.stringify({ events: [] }),
      });
    const first = await withRandomBearer();
    expect(first.status).toBe(400);
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    expect(remaining).toBeGreaterThan(0);
    const again = await withRandomBearer();
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(remaining - 1);
  });

  it('erases a user in both stores and reports the request completed, then an empty timeline', async () => {
    const user = `u_erase_${uuidv7().slice(-8)}`;
    for (let i = 0; i < 20; i++)
      bed.sdk.log({
        type: 'app.viewed',
        actor: { type: 'user', id: user },
        entity: { type: 'app', id: `app_${i}` },
        metadata: { referrer: 'search', position: i },
      });
    await bed.caughtUp();
    const token = await bed.token(user);
    const before = await getJson<{ groups: { activities: unknown[] }[] }>('/api/users/me/activity', token);
    expect(before.groups.flatMap((g) => g.activities)).toHaveLength(20);
    const response = await fetch(`${bed.gatewayUrl}/api/users/me/activity`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(202);
    const { requestId, statusUrl } = (await response.json()) as { requestId: string; statusUrl: string };
    const status = await waitFor(
      async () => {
        const reply = await getJson<{ status: string; stores: Record<string, { rowsDeleted: number }> }>(
          statusUrl,
          token,
        );
        return reply.status === 'completed' ? reply : undefined;
      },
      { timeoutMs: 60_000, what: 'the erasure to complete in both stores' },
    );
    expect(status).toEqual({
      requestId,
      status: 'completed',
      stores: {
        postgres: { status: 'completed', rowsDeleted: 20 },
        clickhouse: { status: 'completed', rowsDeleted: 20 },
      },
    });
    const after = await getJson<{ groups: unknown[] }>('/api/users/me/activity', token);
    expect(after.groups).toEqual([]);
    // Gone from the identified view: neither their key (ClickHouse) nor their id (Postgres) is listed.
    const { users: ranked } = await getJson<{ users: { actorId: string | null; actorKey: string }[] }>(
      `/api/admin/analytics/most-active-users?from=${today()}&to=${today()}&limit=1000`,
      admin,
    );
    expect(
      ranked.filter((row) => row.actorId === user || row.actorKey === pseudonymize('user', user)),
    ).toEqual([]);
  });

  it('serves the OpenAPI document built from its controllers and times requests by route in /metrics', async () => {
    // openapi-routes.spec.ts compares the document with the routes; here, that the running gateway serves it.
    const served = JSON.parse((await get('/api/docs/openapi.json')).body) as OpenAPIObject;
    const documented = await createDocumentedGateway({ devSignIn: false });
    try {
      expect(served).toEqual(buildOpenApiDocument(documented));
    } finally {
      await documented.close();
    }
    // The checked-in copy has every route; this gateway runs without the local dev sign-in.
    const committed = JSON.parse(
      readFileSync(resolve(__dirname, '../../..', OPENAPI_DOC_PATH), 'utf8'),
    ) as OpenAPIObject;
    expect(Object.keys(served.paths).sort()).toEqual(
      Object.keys(committed.paths)
        .filter((path) => path !== '/api/dev/token')
        .sort(),
    );
    expect((await get('/api/docs')).body).toContain('swagger-ui');
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(
      /chronicle_gateway_http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/admin\/activities",status="200"[^}]*\} [1-9]/,
    );
    expect((await get('/health/live')).status).toBe(200);
    const ready = JSON.parse((await get('/health/ready')).body) as {
      ok: boolean;
      details: Record<string, { ok: boolean }>;
    };
    expect(ready.ok).toBe(true);
    expect(Object.keys(ready.details).sort()).toEqual(['clickhouse', 'kafka', 'liveFeed', 'postgres']);
    // Readiness as a series, what runs, and every labelled counter present whether it moved or not.
    const after = (await get('/metrics')).body;
    expect(after).toMatch(/^chronicle_service_ready\{service="gateway"\} 1$/m);
    expect(after).toMatch(/^chronicle_build_info\{service="gateway",version="[^"]+",revision="[^"]+"\} 1$/m);
    for (const format of ['csv', 'ndjson'])
      expect(after).toMatch(
        new RegExp(
          `^chronicle_gateway_exported_rows_total\\{format="${format}",service="gateway"\\} \\d+$`,
          'm',
        ),
      );
    for (const result of ['accepted', 'rejected'])
      expect(after).toMatch(
        new RegExp(
          `^chronicle_gateway_collected_events_total\\{result="${result}",service="gateway"\\} \\d+$`,
          'm',
        ),
      );
    expect(after).toMatch(/^chronicle_sdk_publish_errors_total\{source="[^"]+",service="gateway"\} \d+$/m);
  });

  it('exports 1,000,000 rows as CSV that parses back to the same rows, injection-safe, in bounded memory', async () => {
    const rows = 1_000_000;
    const newest = Date.now() - 3_600_000;
    // Row i is a function of i, so that every parsed row can be checked exactly without a second copy.
    await bed.dataSource.query(
      `INSERT INTO activity_events (id, occurred_at, received_at, actor_type, actor_id, activity_type,
                                    entity_type, entity_id, source, metadata)
       SELECT md5('row' || i)::uuid, to_timestamp($1::double precision / 1000) - i * interval '400 milliseconds',
              to_timestamp($1::double precision / 1000), 'user',
              CASE WHEN i % 997 = 0 THEN '+' || i ELSE 'u_bulk_' || (i % 5000) END, 'app.viewed', 'app',
              CASE WHEN i % 1000 = 0 THEN '=HYPERLINK("http://x/' || i || '")' ELSE 'app_' || (i % 300) END,
              '/services/bulk', jsonb_build_object('i', i, 'note', 'a,"b"' || chr(10) || 'c')
         FROM generate_series(1, $2::int) AS i`,
      [newest, rows],
    );
    const expected = (i: number) => {
      const hex = createHash('md5').update(`row${i}`).digest('hex');
      return {
        id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        occurred_at: new Date(newest - i * 400).toISOString(),
        actor_id: i % 997 === 0 ? `'+${i}` : `u_bulk_${i % 5000}`,
        entity_id: i % 1000 === 0 ? `'=HYPERLINK("http://x/${i}")` : `app_${i % 300}`,
      };
    };

    // A gateway process of its own, so that its memory is measured apart from this test's parsing.
    const gateway = await bed.spawnGateway();
    const gatewayUrl = gateway.started['url'] as string;
    const pid = gateway.process.pid as number;
    const rss = () =>
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
    const baseline = rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);

    let parsed = 0;
    try {
      const response = await fetch(
        `${gatewayUrl}/api/admin/activities/export?source=/services/bulk&format=csv`,
        {
          headers: { authorization: `Bearer ${admin}` },
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const seen = new Uint8Array(rows + 1);
      let previousTime = Infinity;
      const parser = Readable.fromWeb(response.body as never).pipe(parse({ columns: true }));
      for await (const record of parser as AsyncIterable<Record<string, string>>) {
        const i = (JSON.parse(record['metadata'] as string) as { i: number }).i;
        const want = expected(i);
        if (
          record['id'] !== want.id ||
          record['occurred_at'] !== want.occurred_at ||
          record['actor_id'] !== want.actor_id ||
          record['entity_id'] !== want.entity_id ||
          record['metadata'] !== `{"i": ${i}, "note": "a,\\"b\\"\\nc"}` ||
          seen[i]
        )
          throw new Error(`row ${parsed} (i = ${i}) differs: ${JSON.stringify(record)}`);
        const time = Date.parse(want.occurred_at);
        if (time > previousTime) throw new Error(`row ${parsed} is out of order`);
        previousTime = time;
        seen[i] = 1;
        parsed++;
      }
    } finally {
      clearInterval(sampler);
      await gateway.kill('SIGTERM');
    }
    expect(parsed).toBe(rows);
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  });
});
