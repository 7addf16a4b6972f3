import { toActivityEvent } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import fc from 'fast-check';
import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
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
import { activityGraphqlSchema } from './graphql/activity-graphql.schema';

jest.setTimeout(600_000);

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
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
      const documentedBodyFields = Object.keys(
        operation.requestBody?.content?.['application/json']?.schema?.properties ?? {},
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
          apiKey: fc.oneof(
            fc.constant(bed.apiKey),
            hostileString.map(headerValue),
          ),
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
     * a hostile client would send); a live stream is read only as far as its status.
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
          if ((response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
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
    const operations = graphqlOperations(activityGraphqlSchema);
    const anyOperation = fc.oneof(...operations);
    const codesOf = (errors: GraphqlErrorReply[] | undefined) =>
      (errors ?? []).map((e) => e.extensions?.code);

    /** What every answer must be: no internal error, and input errors naming an argument of the field. */
    const checkErrors = (operation: GraphqlOperation, errors: GraphqlErrorReply[] | undefined) => {
      for (const error of errors ?? []) {
        if (error.extensions?.code === 'INTERNAL')
          throw new Error(`${operation.field} failed inside: ${JSON.stringify(operation.variables)}`);
        if (
          error.extensions?.code === 'BAD_USER_INPUT' &&
          !operation.argumentNames.includes(error.extensions.field ?? '')
        )
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
