import { toActivityEvent, type ActivityInput } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import fc from 'fast-check';
import { createClient, type Client } from 'graphql-ws';
import { decodeJwt, SignJWT } from 'jose';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import {
  COLLECTOR_SOURCE,
  createPipelineTestBed,
  TEST_JWT_SECRET,
  type PipelineTestBed,
} from '../test/pipeline-test-bed';
import {
  graphqlOperations,
  hostileClaims,
  hostileCursor,
  hostileJson,
  hostileString,
  hostileUrlComponent,
  urlComponent,
  type GraphqlOperation,
} from '../test/hostile-requests';
import { openGraphqlSubscription, stalledGet } from '../test/live-clients';
import { buildGraphqlSchema } from './graphql/graphql-schema';

jest.setTimeout(600_000);

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
}
interface OpenApiSchema {
  $ref?: string;
  properties?: Record<string, unknown>;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

/** One request the property test sends, and what a 400 may name. */
interface RestRequest {
  method: string;
  route: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The names a 400 may give: query parameters sent, path parameters, body fields sent or documented. */
  names: Set<string>;
}

interface GraphqlErrorReply {
  message: string;
  extensions?: { code?: string; field?: string };
}

/** Values that pass each parameter, so that a request can get past one parameter to the next. */
const PLAUSIBLE: Record<string, string[]> = {
  days: ['7', '90'],
  limit: ['10', '1000'],
  tz: ['Europe/Paris', 'UTC'],
  userId: ['u_hostile'],
  type: ['app.viewed', 'download.*'],
  entityType: ['app'],
  entityId: ['app_1'],
  source: [COLLECTOR_SOURCE],
  from: ['2026-11-01', new Date(Date.now() - 86_400_000).toISOString()],
  to: ['2026-12-01'],
  format: ['csv', 'ndjson'],
  periods: ['4'],
  granularity: ['day', 'week'],
  rank: ['events', 'users'],
};

const isLocalHealth = (route: string) => route.startsWith('/health') || route === '/metrics';

describe('the gateway under hostile input and slow clients', () => {
  let bed: PipelineTestBed;
  let admin: string;
  let user: string;
  let openApi: OpenApiDocument;

  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_JWT_SECRET));

  beforeAll(async () => {
    bed = await createPipelineTestBed('gateway_hostile', {
      workers: false,
      gatewayEnv: {
        GATEWAY_RATE_LIMIT_PER_MINUTE: '1000000',
        GATEWAY_DEV_SIGN_IN: 'true',
        JWT_CLOCK_SKEW_S: '1',
        GATEWAY_SEND_STALL_MS: '2000',
        GATEWAY_EXPORT_MAX_CONCURRENT: '4',
        GATEWAY_EXPORT_MAX_PER_CALLER: '2',
        GATEWAY_LIVE_MAX_PER_CALLER: '10',
      },
    });
    admin = await bed.token('hostile-admin', { admin: true });
    user = await bed.token('u_hostile');
    openApi = (await (await fetch(`${bed.gatewayUrl}/api/docs/openapi.json`)).json()) as OpenApiDocument;
    // Rows for the queries to find: the user's timeline and the admin search have something to page.
    await bed.dataSource.query(
      `INSERT INTO activity_events (id, occurred_at, received_at, actor_type, actor_id, activity_type,
                                    entity_type, entity_id, source, metadata)
       SELECT md5('hostile' || i)::uuid, now() - i * interval '1 hour', now(), 'user',
              CASE WHEN i % 2 = 0 THEN 'u_hostile' ELSE 'u_other' END, 'app.viewed', 'app', 'app_' || (i % 7),
              $1, jsonb_build_object('referrer', 'search')
         FROM generate_series(1, 200) AS i`,
      [COLLECTOR_SOURCE],
    );
    // Enough rows that an export outgrows every socket buffer between Postgres and a client that never reads.
    await bed.dataSource.query(
      `INSERT INTO activity_events (id, occurred_at, received_at, actor_type, actor_id, activity_type,
                                    entity_type, entity_id, source, metadata)
       SELECT md5('bulk' || i)::uuid, now() - i * interval '10 seconds', now(), 'user', 'u_bulk_' || (i % 100),
              'app.viewed', 'app', 'app_' || (i % 50), '/services/bulk',
              jsonb_build_object('referrer', 'search', 'padding', repeat('x', 300))
         FROM generate_series(1, 150000) AS i`,
    );
  }, 240_000);

  afterAll(async () => {
    await bed?.teardown();
  });

  const ready = async () => (await fetch(`${bed.gatewayUrl}/health/ready`)).status;

  describe('every route of the API document, with hostile values in every parameter, header and claim', () => {
    /** Who calls: an admin, a user, a token with hostile claims, a made-up header, nobody. */
    const authorization: fc.Arbitrary<() => Promise<Record<string, string>>> = fc.oneof(
      fc.constant(async () => ({ authorization: `Bearer ${admin}` })),
      fc.constant(async () => ({ authorization: `bearer  ${user}` })),
      hostileClaims.map((claims) => async () => ({ authorization: `Bearer ${await sign(claims)}` })),
      hostileString.map(headerValue).map((value) => async () => ({ authorization: value })),
      fc.constant(async () => ({})),
    );

    const queryValue = (name: string): fc.Arbitrary<string> => {
      const plausible = PLAUSIBLE[name] ?? [];
      const hostile = name === 'cursor' ? hostileCursor.map(urlComponent) : hostileUrlComponent;
      return plausible.length > 0
        ? fc.oneof(
            { weight: 2, arbitrary: fc.constantFrom(...plausible).map(urlComponent) },
            { weight: 3, arbitrary: hostile },
          )
        : hostile;
    };

    const collectorBody = fc.oneof(
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              'type',
              'time',
              'id',
              'source',
              'specversion',
              'datacontenttype',
              'data',
              'subject',
            ),
            hostileJson,
          ),
          { maxLength: 3 },
        )
        .map((mutations) => {
          const event = toActivityEvent(
            {
              type: 'app.viewed',
              actor: { type: 'user', id: 'u_hostile' },
              entity: { type: 'app', id: 'app_1' },
            },
            { source: COLLECTOR_SOURCE },
          ) as unknown as Record<string, unknown>;
          for (const [key, value] of mutations) event[key] = value;
          return { events: [event] };
        }),
      hostileJson,
      fc.record({ events: hostileJson }),
    );

    /** A request to one route of the document, each parameter absent, plausible or hostile. */
    const restRequest = (route: string, method: string): fc.Arbitrary<Promise<RestRequest>> => {
      const operation = openApi.paths[route]?.[method] ?? {};
      const parameters = operation.parameters ?? [];
      const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
      const pathParameters = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
      const collector = route === '/v1/events';
      // A required field the client left out is named as the document names it.
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      // The body's schema is a component: `#/components/schemas/DevTokenRequest`.
      const documentedBodyFields = Object.keys(
        (bodySchema?.$ref
          ? openApi.components.schemas[bodySchema.$ref.replace('#/components/schemas/', '')]
          : bodySchema
        )?.properties ?? {},
      );
      return fc
        .record({
          query: fc.array(
            fc.oneof(
              ...queryParameters.map((parameter) =>
                queryValue(parameter.name).map((value) => [parameter.name, value] as const),
              ),
              // A name the route does not take, or a repeated one.
              fc
                .tuple(hostileUrlComponent, hostileUrlComponent)
                .map(([name, value]) => [name, value] as const),
            ),
            { maxLength: Math.max(2, queryParameters.length) },
          ),
          path: fc.array(
            hostileUrlComponent.filter((value) => value.length > 0),
            {
              minLength: pathParameters.length,
              maxLength: pathParameters.length,
            },
          ),
          auth: authorization,
          apiKey: fc.oneof(fc.constant(bed.apiKey), hostileString.map(headerValue)),
          body: collector
            ? collectorBody
            : fc.record({ userId: hostileJson, admin: hostileJson }, { requiredKeys: [] }),
          rawBody: fc.oneof(
            { weight: 5, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: hostileString },
          ),
        })
        .map(async (generated) => {
          let path = route;
          pathParameters.forEach(
            (name, i) => (path = path.replace(`{${name}}`, generated.path[i] as string)),
          );
          const search = generated.query.map(([name, value]) => `${name}=${value}`).join('&');
          const headers: Record<string, string> = { ...(await generated.auth()) };
          if (collector) headers['x-api-key'] = generated.apiKey;
          const hasBody = method === 'post';
          if (hasBody) headers['content-type'] = 'application/json';
          const body = hasBody ? (generated.rawBody ?? JSON.stringify(generated.body)) : undefined;
          const names = new Set<string>([
            ...generated.query.map(([name]) => decodeURIComponentSafely(name)),
            ...pathParameters,
            // A path segment that is not UTF-8 is the path's fault, before any route reads it.
            ...(pathParameters.length > 0 ? ['path'] : []),
            'body',
            ...documentedBodyFields,
            ...(hasBody && typeof generated.body === 'object' && generated.body !== null
              ? Object.keys(generated.body)
              : []),
          ]);
          return {
            method: method.toUpperCase(),
            route,
            url: `${bed.gatewayUrl}${path}${search ? `?${search}` : ''}`,
            headers,
            ...(body !== undefined ? { body } : {}),
            names,
          };
        });
    };

    /**
     * Sends it with node:http, which puts on the wire any header value HTTP allows (fetch refuses some
     * a hostile client would send).
     */
    const send = (request: RestRequest) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const call = httpRequest(request.url, {
          method: request.method,
          headers: request.headers,
          timeout: 30_000,
        });
        call.once('timeout', () =>
          call.destroy(new Error(`${request.method} ${request.url}: no answer in 30 s`)),
        );
        call.once('error', reject);
        call.once('response', (response) => {
          const status = response.statusCode ?? 0;
          // A live stream never ends and a download may be large: the status is the answer, and the
          // client going away mid-way is one more thing the gateway must take.
          if (
            (response.headers['content-type'] ?? '').startsWith('text/event-stream') ||
            (response.headers['content-disposition'] ?? '').startsWith('attachment')
          ) {
            response.destroy();
            return resolve({ status, text: '' });
          }
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
          response.once('error', reject);
        });
        call.end(request.body);
      });

    it('never answers with a 5xx, names the parameter in each 400, and stays ready (3,500 requests)', async () => {
      const routes = Object.entries(openApi.paths).flatMap(([route, methods]) =>
        Object.keys(methods)
          .filter((method) => ['get', 'post', 'delete'].includes(method))
          .map((method) => ({ route, method })),
      );
      expect(routes.length).toBeGreaterThanOrEqual(20);
      let sent = 0;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(...routes.map(({ route, method }) => restRequest(route, method))),
          async (pending) => {
            const request = await pending;
            const { status, text } = await send(request);
            sent++;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500)
              throw new Error(`${request.method} ${request.url} answered ${status}: ${text}`);
            if (status === 400) {
              const field = (JSON.parse(text) as { field?: string }).field;
              // `days[1]` names the second value of `days`.
              if (field === undefined || !request.names.has(field.replace(/\[\d+\]$/, '')))
                throw new Error(`${request.method} ${request.url}: the 400 names ${field}: ${text}`);
            }
            if (sent % 500 === 0 && !isLocalHealth(request.route)) expect(await ready()).toBe(200);
          },
        ),
        { numRuns: 3_500 },
      );
      expect(sent).toBeGreaterThanOrEqual(3_500);
      // The generators reach past the edge, not only to it: some requests were served.
      expect(statuses.get(200)).toBeGreaterThan(100);
      expect(statuses.get(400)).toBeGreaterThan(100);
      expect(statuses.get(401)).toBeGreaterThan(100);
      await waitFor(async () => (await ready()) === 200, {
        timeoutMs: 5_000,
        what: 'the gateway to be ready',
      });
    });
  });

  describe('every GraphQL field, over HTTP and graphql-ws', () => {
    let anyOperation: fc.Arbitrary<GraphqlOperation>;
    beforeAll(async () => {
      anyOperation = fc.oneof(...graphqlOperations(await buildGraphqlSchema()));
    });
    const codesOf = (errors: GraphqlErrorReply[] | undefined) =>
      (errors ?? []).map((e) => e.extensions?.code);

    /** What every answer must be: no internal error, and input errors naming an argument of the field. */
    const checkErrors = (operation: GraphqlOperation, errors: GraphqlErrorReply[] | undefined) => {
      for (const error of errors ?? []) {
        if (error.extensions?.code === 'INTERNAL')
          throw new Error(`${operation.field} failed inside: ${JSON.stringify(operation.variables)}`);
        // `days[0]` names the first value of `days`.
        const field = (error.extensions?.field ?? '').replace(/\[\d+\]$/, '');
        if (error.extensions?.code === 'BAD_USER_INPUT' && !operation.argumentNames.includes(field))
          throw new Error(
            `${operation.field}: BAD_USER_INPUT names ${error.extensions.field}: ${error.message}`,
          );
      }
    };

    it('answers each over HTTP without a 5xx or an internal error (1,000 requests)', async () => {
      const token = fc.oneof(
        fc.constant(async () => admin),
        fc.constant(async () => user),
        hostileClaims.map((claims) => () => sign(claims)),
      );
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          anyOperation,
          token,
          fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileJson }),
          async (operation, tokenOf, hostileBody) => {
            const response = await fetch(`${bed.gatewayUrl}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf()}` },
              body: JSON.stringify(hostileBody ?? { query: operation.query, variables: operation.variables }),
            });
            sent++;
            const text = await response.text();
            if (response.status >= 500)
              throw new Error(`${operation.field} answered ${response.status}: ${text}`);
            if (response.status === 200)
              checkErrors(operation, (JSON.parse(text) as { errors?: GraphqlErrorReply[] }).errors);
          },
        ),
        { numRuns: 1_000 },
      );
      expect(sent).toBe(1_000);
      expect(await ready()).toBe(200);
    });

    it('answers each over graphql-ws without an internal error or a dropped socket (1,000 operations)', async () => {
      const closes: number[] = [];
      const client: Client = createClient({
        url: bed.gatewayUrl.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${admin}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      });
      client.on('closed', (event) => closes.push((event as { code: number }).code));
      let sent = 0;
      const codes = new Map<string, number>();
      try {
        await fc.assert(
          fc.asyncProperty(anyOperation, async (operation) => {
            const errors = await new Promise<GraphqlErrorReply[]>((resolve, reject) => {
              const collected: GraphqlErrorReply[] = [];
              const dispose = client.subscribe(
                { query: operation.query, variables: operation.variables },
                {
                  next: (result) => collected.push(...((result.errors ?? []) as GraphqlErrorReply[])),
                  error: (error) =>
                    Array.isArray(error)
                      ? resolve([...collected, ...(error as GraphqlErrorReply[])])
                      : reject(error),
                  complete: () => resolve(collected),
                },
              );
              // A subscription that was accepted stays open: leave it, as a client would.
              if (operation.kind === 'subscription')
                setTimeout(() => {
                  dispose();
                  resolve(collected);
                }, 20);
            });
            sent++;
            for (const code of codesOf(errors)) codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
            checkErrors(operation, errors);
          }),
          { numRuns: 1_000 },
        );
      } finally {
        await client.dispose();
      }
      expect(sent).toBe(1_000);
      // The socket stayed up for all of them: the only close is ours, at the end.
      expect(closes.filter((code) => code !== 1000)).toEqual([]);
      expect(codes.get('BAD_USER_INPUT')).toBeGreaterThan(10);
      expect(await ready()).toBe(200);
    });

    it('closes a socket that sends what is not graphql-ws with 4400, never with an internal error (100 messages)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            hostileString,
            hostileJson.map((value) => JSON.stringify(value)),
            fc
              .record({ type: hostileString, id: hostileString, payload: hostileJson })
              .map((m) => JSON.stringify(m)),
          ),
          async (message) => {
            const socket = new WebSocket(
              bed.gatewayUrl.replace('http', 'ws') + '/graphql',
              'graphql-transport-ws',
            );
            const code = await new Promise<number>((resolve, reject) => {
              socket.once('error', reject);
              socket.once('close', (closeCode) => resolve(closeCode));
              // A message that happens to be valid graphql-ws (a ping) closes nothing: we close it.
              setTimeout(() => socket.close(1000), 1_000);
              socket.once('open', () => {
                socket.send(
                  JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } }),
                );
                socket.once('message', () => socket.send(message));
              });
            });
            // 4400 bad message, 4429 a second init; never 4500 (internal error) nor 1011.
            expect([4400, 4429, 1000]).toContain(code);
          },
        ),
        { numRuns: 100 },
      );
    });
  });

  describe('slow clients and abuse at once', () => {
    /** 500 aliases of a timeline in one document: 500 queries, were it run (under the 5,000-token limit). */
    const aliasBomb = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}:myActivity{pageInfo{hasNextPage}}`).join(' ')} }`;

    it("keeps another user's timeline fast and the gateway ready while 20 exports and 20 live streams stall and an alias bomb goes off", async () => {
      // The producer is connected before the attack starts, as a running service's is.
      const liveEvent: ActivityInput = {
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_live' },
        entity: { type: 'app', id: 'app_1' },
        metadata: { referrer: 'search' },
      };
      bed.sdk.log(liveEvent);
      await bed.sdk.flush();
      const other = await bed.token('u_other');
      const admins = await Promise.all(
        Array.from({ length: 20 }, (_, i) => bed.token(`stalled-admin-${i}`, { admin: true })),
      );
      const exports = await Promise.all(
        admins.map((token) =>
          stalledGet(bed.gatewayUrl, '/api/admin/activities/export?source=/services/bulk&format=csv', token),
        ),
      );
      const streams = await Promise.all(
        admins.map((token) => stalledGet(bed.gatewayUrl, '/api/admin/activities/stream', token)),
      );
      const bomber = createClient({
        url: bed.gatewayUrl.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${admins[0]}` },
        retryAttempts: 0,
      });
      const bombs = Array.from(
        { length: 200 },
        () =>
          new Promise<string>((resolve) =>
            bomber.subscribe(
              { query: aliasBomb },
              {
                next: () => resolve('answered'),
                error: (error) => resolve(JSON.stringify(error)),
                complete: () => resolve('answered'),
              },
            ),
          ),
      );
      // Traffic for the stalled live streams to fall behind on.
      let publishing = true;
      const publisher = (async () => {
        while (publishing) {
          for (let i = 0; i < 100; i++) bed.sdk.log(liveEvent);
          await bed.sdk.flush();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

      const latencies: number[] = [];
      const readiness: number[] = [];
      try {
        for (let i = 0; i < 300; i++) {
          const started = performance.now();
          const response = await fetch(`${bed.gatewayUrl}/api/users/me/activity?limit=50`, {
            headers: { authorization: `Bearer ${other}` },
          });
          const body = (await response.json()) as { groups: unknown[] };
          latencies.push(performance.now() - started);
          expect(response.status).toBe(200);
          expect(body.groups.length).toBeGreaterThan(0);
          if (i % 10 === 0) readiness.push(await ready());
        }
      } finally {
        publishing = false;
        await publisher;
      }
      latencies.sort((a, b) => a - b);
      const percentile = (p: number) => latencies[Math.ceil(latencies.length * p) - 1] as number;
      const p99 = percentile(0.99);
      process.stdout.write(
        `timeline under attack: p50 ${percentile(0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${percentile(1).toFixed(1)} ms (${latencies.length} requests)\n`,
      );
      expect(p99).toBeLessThan(200);
      expect(readiness.every((status) => status === 200)).toBe(true);

      // The exports got the export pool's four connections; the other sixteen were told to come back.
      const exportStatuses = exports.map((client) => client.status).sort();
      expect(exportStatuses.filter((status) => status === 200)).toHaveLength(4);
      expect(exportStatuses.filter((status) => status === 429)).toHaveLength(16);
      expect(
        exports
          .filter((client) => client.status === 429)
          .every((client) => Number(client.headers['retry-after']) > 0),
      ).toBe(true);
      expect(streams.map((client) => client.status)).toEqual(admins.map(() => 200));
      // Every bomb was refused before it ran a query.
      for (const reply of await Promise.all(bombs))
        expect(reply).toMatch(/runs 500 queries \(aliases included\)/);
      await bomber.dispose();

      // The stalled downloads were cut off: read now, each ends after a few MB of the whole (over 60 MB).
      const received = await Promise.all(
        exports.filter((client) => client.status === 200).map((client) => client.readToEnd()),
      );
      for (const bytes of received) expect(bytes).toBeLessThan(20 * 1024 * 1024);
      // Their queries ended with them, and no session is left open in a transaction.
      const sessions = () =>
        bed.dataSource.query<{ application_name: string; state: string }[]>(
          `SELECT application_name, state FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'chronicle-gateway%'`,
        );
      await waitFor(async () => (await sessions()).every((session) => session.state === 'idle'), {
        timeoutMs: 10_000,
        what: 'the export sessions to end',
      });
      expect((await sessions()).filter((session) => session.state.startsWith('idle in transaction'))).toEqual(
        [],
      );
      for (const client of [...exports, ...streams]) client.destroy();
      expect(await ready()).toBe(200);
    });
  });

  describe('limits', () => {
    it('counts graphql-ws operations in the one budget of REST and GraphQL over HTTP', async () => {
      const gateway = await bed.startGateway({ GATEWAY_RATE_LIMIT_PER_MINUTE: '12' });
      const token = await bed.token('u_budget');
      const rest = () =>
        fetch(`${gateway.url}/api/users/me/activity`, { headers: { authorization: `Bearer ${token}` } });
      const overHttp = () =>
        fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `BEARER ${token}` },
          body: JSON.stringify({ query: '{ myActivity { pageInfo { hasNextPage } } }' }),
        });
      const client = createClient({
        url: gateway.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const overWebSocket = () =>
        new Promise<GraphqlErrorReply[]>((resolve) => {
          const errors: GraphqlErrorReply[] = [];
          client.subscribe(
            { query: '{ myActivity { pageInfo { hasNextPage } } }' },
            {
              next: (result) => errors.push(...((result.errors ?? []) as GraphqlErrorReply[])),
              error: (error) => resolve(error as GraphqlErrorReply[]),
              complete: () => resolve(errors),
            },
          );
        });
      try {
        for (let i = 0; i < 4; i++) expect((await rest()).status).toBe(200);
        for (let i = 0; i < 4; i++) expect((await overHttp()).status).toBe(200);
        for (let i = 0; i < 4; i++) expect(await overWebSocket()).toEqual([]);
        // Twelve spent, whatever the transport: the next call is refused on each of them.
        const refused = await overWebSocket();
        expect(refused[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
        const restRefused = await rest();
        expect(restRefused.status).toBe(429);
        expect(Number(restRefused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await overHttp()).status).toBe(429);
        // Another caller has a budget of its own.
        const someoneElse = await bed.token('u_budget_2');
        const theirs = await fetch(`${gateway.url}/api/users/me/activity`, {
          headers: { authorization: `Bearer ${someoneElse}` },
        });
        expect(theirs.status).toBe(200);
      } finally {
        await client.dispose();
        await gateway.stop();
      }
    });

    it('caps the GraphQL operations one caller runs at once, over HTTP and graphql-ws alike', async () => {
      const gateway = await bed.startGateway({ GATEWAY_GRAPHQL_MAX_IN_FLIGHT_PER_CALLER: '1' });
      const token = await bed.token('burst-admin', { admin: true });
      // Nine ClickHouse queries each: the first is still running when the others arrive.
      const figures =
        '{ analytics { dau { day } wau { day } mau { day } stickiness { day } activityMix { day } } }';
      const client = createClient({
        url: gateway.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      try {
        const overHttp = Array.from({ length: 6 }, () =>
          fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: figures }),
          }).then((response) => response.status),
        );
        const overWebSocket = Array.from(
          { length: 6 },
          () =>
            new Promise<string>((resolve) => {
              let code = 'OK';
              client.subscribe(
                { query: figures },
                {
                  next: (result) =>
                    (code = String(
                      (result.errors?.[0] as GraphqlErrorReply | undefined)?.extensions?.code ?? 'OK',
                    )),
                  error: () => resolve('ERROR'),
                  complete: () => resolve(code),
                },
              );
            }),
        );
        const statuses = await Promise.all(overHttp);
        const codes = await Promise.all(overWebSocket);
        expect(statuses).toContain(200);
        expect(statuses).toContain(429);
        expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
        expect(codes).toContain('TOO_MANY_REQUESTS');
        expect(codes.every((code) => code === 'OK' || code === 'TOO_MANY_REQUESTS')).toBe(true);
        // Nothing is held once they are answered: the next one runs.
        const after = await fetch(`${gateway.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: figures }),
        });
        expect(after.status).toBe(200);
      } finally {
        await client.dispose();
        await gateway.stop();
      }
    });

    it('ends SSE and graphql-ws streams when their token expires, within the clock-skew allowance', async () => {
      const token = await bed.token('expiring-admin', { admin: true, ttlSeconds: 2 });
      // exp plus JWT_CLOCK_SKEW_S (1 s in this bed): the token's last valid moment.
      const validUntil = ((decodeJwt(token).exp as number) + 1) * 1_000;
      const sse = await fetch(`${bed.gatewayUrl}/api/admin/activities/stream`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(sse.status).toBe(200);
      const sseEnded = (async () => {
        const text = await sse.text();
        return { at: Date.now(), text };
      })();
      const subscription = await openGraphqlSubscription(
        bed.gatewayUrl.replace('http', 'ws') + '/graphql',
        token,
        {},
      );
      const wsClosed = new Promise<{ at: number; code: number }>((resolve) =>
        subscription.client.on('closed', (event) =>
          resolve({ at: Date.now(), code: (event as { code: number }).code }),
        ),
      );
      const [sseEnd, wsClose] = await Promise.all([sseEnded, wsClosed]);
      expect(sseEnd.text).toContain('event: expired');
      expect(wsClose.code).toBe(4401);
      for (const at of [sseEnd.at, wsClose.at]) {
        expect(at).toBeGreaterThanOrEqual(validUntil - 50);
        expect(at).toBeLessThan(validUntil + 1_000);
      }
    });

    it('caps live streams and exports per caller: 429 with Retry-After over HTTP, TOO_MANY_REQUESTS over graphql-ws', async () => {
      const token = await bed.token('greedy-admin', { admin: true });
      const streams = await Promise.all(
        Array.from({ length: 10 }, () => stalledGet(bed.gatewayUrl, '/api/admin/activities/stream', token)),
      );
      expect(streams.map((client) => client.status)).toEqual(streams.map(() => 200));
      const eleventh = await stalledGet(bed.gatewayUrl, '/api/admin/activities/stream', token);
      expect(eleventh.status).toBe(429);
      expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
      eleventh.destroy();
      const subscription = await openGraphqlSubscription(
        bed.gatewayUrl.replace('http', 'ws') + '/graphql',
        token,
        {},
      );
      await waitFor(async () => subscription.errors.length > 0, {
        timeoutMs: 5_000,
        what: 'the subscription to be refused',
      });
      expect(JSON.stringify(subscription.errors)).toContain('TOO_MANY_REQUESTS');
      subscription.close();
      // One stream ends: its place is free again.
      streams[0]?.destroy();
      await waitFor(
        async () => {
          const next = await stalledGet(bed.gatewayUrl, '/api/admin/activities/stream', token);
          next.destroy();
          return next.status === 200;
        },
        { timeoutMs: 5_000, what: 'a stream to be allowed again' },
      );
      for (const client of streams) client.destroy();

      const downloads = await Promise.all(
        Array.from({ length: 3 }, () =>
          stalledGet(bed.gatewayUrl, '/api/admin/activities/export?source=/services/bulk', token),
        ),
      );
      expect(downloads.map((client) => client.status).sort()).toEqual([200, 200, 429]);
      for (const client of downloads) client.destroy();
    });
  });
});

/** `value` as a header value can go on the wire: HTTP forbids control characters but tab, and DEL. */
function headerValue(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

function decodeURIComponentSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
