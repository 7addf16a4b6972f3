import type { ActivityFilter, ActivityQueries, ActivityRecord } from '@chronicle/events-store';
import type { DocumentNode } from 'graphql';
import type { Principal } from '../auth/token-verifier';
import { graphqlRoot, type GraphqlServices } from './activity-graphql.resolvers';
import { executeDocument, prepareDocument } from './graphql-execution';

const record = (id: string, type: string, metadata: Record<string, unknown>): ActivityRecord => ({
  id,
  occurredAt: '2026-11-22T10:00:00.000Z',
  receivedAt: '2026-11-22T10:00:00.100Z',
  actor: { type: 'user', id: 'u_1' },
  type,
  entity: { type: 'app', id: 'app_42' },
  source: '/services/web',
  metadata,
  context: null,
});

/** The resolvers over a store that answers one fixed page, recording the filters it is asked for. */
function resolvers(items: ActivityRecord[]) {
  const filters: ActivityFilter[] = [];
  const activities = {
    page: async (filter: ActivityFilter) => {
      filters.push(filter);
      return { items, next: null };
    },
  } as unknown as ActivityQueries;
  const audit = { log: () => true };
  const root = graphqlRoot({ activities, audit } as unknown as GraphqlServices);
  const run = async (query: string, user: Principal) => {
    const { document } = prepareDocument(query) as { document: DocumentNode };
    return executeDocument(document, root, { user }, undefined, undefined);
  };
  return { run, filters };
}

describe('the GraphQL resolvers', () => {
  const page = [
    record('b', 'download.initiated', { downloadId: 'dl_1', version: '3.4.1', sizeBytes: 1 }),
    record('a', 'app.viewed', { referrer: 'search' }),
  ];

  it("give myActivity's nodes the sentence of their type beside the raw fields, for the caller only", async () => {
    const { run, filters } = resolvers(page);
    const result = await run('{ myActivity { edges { node { id type sentence metadata } } } }', {
      id: 'u_1',
      admin: false,
      validUntil: Infinity,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      myActivity: {
        edges: [
          {
            node: {
              id: 'b',
              type: 'download.initiated',
              sentence: 'Started downloading app_42 (3.4.1)',
              metadata: page[0]?.metadata,
            },
          },
          {
            node: { id: 'a', type: 'app.viewed', sentence: 'Viewed app app_42', metadata: page[1]?.metadata },
          },
        ],
      },
    });
    expect(filters[0]).toMatchObject({ actorId: 'u_1', actorType: 'user' });
  });

  it("give the admin search's nodes their sentence too", async () => {
    const { run } = resolvers([record('c', 'app.archived', {})]);
    const result = await run('{ activities { edges { node { sentence } } } }', {
      id: 'root',
      admin: true,
      validUntil: Infinity,
    });
    expect(result.data).toEqual({ activities: { edges: [{ node: { sentence: 'App archived: app_42' } }] } });
  });

  it.each([
    ['filter: { types: ["no.such_type"] }', 'types'],
    ['filter: { userId: "u\\u0000" }', 'userId'],
    ['after: "not a cursor"', 'after'],
    ['filter: { from: "yesterday" }', 'from'],
  ])('refuses %s as BAD_USER_INPUT naming %s as GraphQL spells it', async (args, field) => {
    const { run, filters } = resolvers([]);
    const result = await run(`{ activities(${args}) { edges { cursor } } }`, {
      id: 'root',
      admin: true,
      validUntil: Infinity,
    });
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field}: `));
    expect(filters).toEqual([]);
  });
});
