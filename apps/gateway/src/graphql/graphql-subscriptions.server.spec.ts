import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createClient, type Client } from 'graphql-ws';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { activityRecord, createGraphqlTestApp, type GraphqlTestApp } from '../../test/graphql-test-app';
import { openGraphqlSubscription } from '../../test/live-clients';
import { startGraphqlSubscriptions } from './graphql-subscriptions.server';

interface Reply {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('GraphQL over graphql-ws, on the schema Nest builds', () => {
  let t: GraphqlTestApp;
  let subscriptions: { close(): Promise<void> };
  let wsUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createGraphqlTestApp({ GATEWAY_RATE_LIMIT_PER_MINUTE: '8', GATEWAY_LIVE_MAX_PER_CALLER: '1' });
    await t.app.listen(0, '127.0.0.1');
    const server = t.app.getHttpServer() as Server;
    subscriptions = startGraphqlSubscriptions(server, {
      schema: t.app.get(GraphQLSchemaHost).schema,
      verifier: t.verifier,
      operations: t.limits.graphqlOperations,
      rateLimit: { storage: t.storage, perMinute: t.config.rateLimitPerMinute },
      logger: t.logger,
    });
    wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });

  afterAll(async () => {
    await subscriptions?.close();
    await t?.close();
  });

  const connect = (token: string) => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  /** The errors of one operation that ends (a query, or a refused subscription). */
  const run = (client: Client, query: string) =>
    new Promise<Reply>((resolve) => {
      let reply: Reply = {};
      client.subscribe(
        { query },
        {
          next: (result) => (reply = result as Reply),
          error: (error) => resolve({ errors: error as Reply['errors'] }),
          complete: () => resolve(reply),
        },
      );
    });

  it('closes a connection without a valid token with 4403, before any operation', async () => {
    await expect(openGraphqlSubscription(wsUrl, 'not-a-jwt', {})).rejects.toThrow('graphql-ws closed: 4403');
  });

  it('answers a query through the same resolvers as HTTP', async () => {
    t.stores.pages = [activityRecord('a', 'app.viewed', { referrer: 'search' })];
    const reply = await run(
      connect(await t.token('u_ws')),
      '{ myActivity { edges { node { id sentence } } } }',
    );
    expect(reply).toEqual({
      data: { myActivity: { edges: [{ node: { id: 'a', sentence: 'Viewed app app_42' } }] } },
    });
  });

  it('refuses an alias bomb before it runs, and a subscription to a user without the admin role', async () => {
    const client = connect(await t.token('u_ws_plain'));
    const bomb = `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: myActivity { pageInfo { hasNextPage } }`).join(' ')} }`;
    expect((await run(client, bomb)).errors?.[0]?.message).toMatch(/runs 20 queries \(aliases included\)/);
    const forbidden = await run(client, 'subscription { activityAdded { id } }');
    expect(forbidden.errors?.[0]).toMatchObject({
      message: 'this field needs the admin role',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it("streams new activities to an admin, within the caller's live-stream cap", async () => {
    const token = await t.token('ws_admin', true);
    const subscription = await openGraphqlSubscription(wsUrl, token, { types: ['app.*'] });
    clients.push(subscription.client);
    // The subscription is registered once the gateway has audited it.
    await waitUntil(() => t.stores.audit.some((event) => event.actor.id === 'ws_admin'));
    t.stores.publish(activityRecord('live_1', 'app.viewed', { referrer: 'search' }));
    await waitUntil(() => subscription.received.length > 0);
    expect(subscription.received[0]?.activity).toMatchObject({ id: 'live_1', type: 'app.viewed' });
    // A second one is over the cap of one.
    const second = await run(connect(token), 'subscription { activityAdded { id } }');
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it("counts each operation against the caller's rate limit", async () => {
    const client = connect(await t.token('u_ws_budget'));
    const codes: unknown[] = [];
    for (let i = 0; i < 9; i++)
      codes.push(
        (await run(client, '{ myActivity { pageInfo { hasNextPage } } }')).errors?.[0]?.extensions?.['code'],
      );
    expect(codes).toEqual([...Array(8).fill(undefined), 'TOO_MANY_REQUESTS']);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(condition()).toBe(true);
}
