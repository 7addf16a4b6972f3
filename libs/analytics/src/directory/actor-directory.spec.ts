import type { ClickHouseClient } from '@clickhouse/client';
import { MAX_RESOLVE_KEYS, resolveActors } from './actor-directory';

function fakeClient() {
  const sent: { keys: string[] }[] = [];
  const client = {
    query: jest.fn(async ({ query_params }: { query_params: { keys: string[] } }) => {
      sent.push({ keys: query_params.keys });
      return {
        json: async () =>
          query_params.keys.map((key) => ({ actor_key: key, id: `id_of_${key}`, type: 'user' })),
      };
    }),
  };
  return { client: client as unknown as ClickHouseClient, sent };
}

describe('resolveActors (without a server)', () => {
  it('asks in requests of at most 100 keys, so that the URL stays short', async () => {
    const { client, sent } = fakeClient();
    const keys = Array.from({ length: 250 }, (_, index) => index.toString(16).padStart(64, '0'));
    const resolved = await resolveActors(client, 'chronicle', keys);
    expect(sent.map((request) => request.keys.length)).toEqual([100, 100, 50]);
    expect(resolved.size).toBe(250);
    expect(resolved.get(keys[249] as string)).toEqual({ actorId: `id_of_${keys[249]}`, actorType: 'user' });
  });

  it('sends nothing for no keys', async () => {
    const { client, sent } = fakeClient();
    expect(await resolveActors(client, 'chronicle', [])).toEqual(new Map());
    expect(sent).toEqual([]);
  });

  it('refuses more than a page of keys and a bad database name', async () => {
    const { client } = fakeClient();
    await expect(
      resolveActors(client, 'chronicle', new Array(MAX_RESOLVE_KEYS + 1).fill('k')),
    ).rejects.toThrow('resolveActors takes at most 1000 keys, got 1001');
    await expect(resolveActors(client, 'x y', [])).rejects.toThrow(/^database must be/);
  });
});
