import { FigureCache, SourceParts } from './figure-cache';

const part = (table: string, name: string, minDay: string, maxDay: string) => ({
  table,
  id: `${table}/${name}/hash-of-${name}`,
  minDay,
  maxDay,
});

describe('SourceParts.versionOf', () => {
  const parts = new SourceParts([
    part('daily_active_users', '202608_1_1_0', '2026-08-01', '2026-08-10'),
    part('daily_active_users', '202608_2_2_0', '2026-08-20', '2026-08-20'),
    part('actor_first_seen', 'all_1_1_0', '1970-01-01', '1970-01-01'),
    part('events', '202608_1_1_0', '2026-08-01', '2026-08-31'),
  ]);
  const version = (reads: Parameters<SourceParts['versionOf']>[0]) => parts.versionOf(reads);

  it('changes only with the parts a read can see', () => {
    const early = [{ table: 'daily_active_users' as const, days: { from: '2026-08-05', to: '2026-08-12' } }];
    const withNewPartLater = new SourceParts([
      part('daily_active_users', '202608_1_1_0', '2026-08-01', '2026-08-10'),
      part('daily_active_users', '202608_3_3_0', '2026-08-13', '2026-08-13'),
    ]);
    expect(withNewPartLater.versionOf(early)).toBe(version(early));
    const withNewPartInside = new SourceParts([
      part('daily_active_users', '202608_1_1_0', '2026-08-01', '2026-08-10'),
      part('daily_active_users', '202608_3_3_0', '2026-08-12', '2026-08-12'),
    ]);
    expect(withNewPartInside.versionOf(early)).not.toBe(version(early));
  });

  it('counts a part whose days touch the range at either end', () => {
    const at = (from: string, to: string) => version([{ table: 'daily_active_users', days: { from, to } }]);
    expect(at('2026-08-10', '2026-08-19')).not.toBe(at('2026-08-11', '2026-08-19'));
    expect(at('2026-08-11', '2026-08-20')).not.toBe(at('2026-08-11', '2026-08-19'));
  });

  it('counts every part of an unpartitioned table, and of another table only when read', () => {
    const cohorts = version([{ table: 'actor_first_seen', days: { from: '2026-09-01', to: '2026-09-02' } }]);
    expect(cohorts).not.toBe(version([]));
    expect(version([{ table: 'actor_first_seen' }])).toBe(cohorts);
    expect(version([{ table: 'user_daily_activity' }])).toBe(version([]));
  });

  it('does not depend on the order system.parts lists the parts in', () => {
    const reversed = new SourceParts([
      part('events', '202608_1_1_0', '2026-08-01', '2026-08-31'),
      part('daily_active_users', '202608_2_2_0', '2026-08-20', '2026-08-20'),
      part('daily_active_users', '202608_1_1_0', '2026-08-01', '2026-08-10'),
    ]);
    const reads = [{ table: 'daily_active_users' as const }, { table: 'events' as const }];
    expect(reversed.versionOf(reads)).toBe(version(reads));
  });
});

describe('FigureCache', () => {
  it('answers a key only for the version it was stored with', () => {
    const cache = new FigureCache(10);
    cache.set('dau', 'v1', [1, 2]);
    expect(cache.get('dau', 'v1')).toEqual([1, 2]);
    expect(cache.get('dau', 'v2')).toBeUndefined();
    expect(cache.get('mau', 'v1')).toBeUndefined();
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 2 });
  });

  it('drops the least recently used entries beyond its rows', () => {
    const cache = new FigureCache(4);
    cache.set('a', 'v', 1);
    cache.set('b', 'v', [2, 2]);
    cache.get('a', 'v'); // b is now the least recently used
    cache.set('c', 'v', [3, 3]);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 'v')).toBeUndefined();
    expect(cache.get('a', 'v')).toBe(1);
    expect(cache.get('c', 'v')).toEqual([3, 3]);
    cache.set('a', 'v2', [1, 1, 1]); // replaced, not added: then c goes
    expect(cache.size).toBe(3);
    expect(cache.get('c', 'v')).toBeUndefined();
  });

  it('keeps no result larger than all its rows', () => {
    const cache = new FigureCache(2);
    cache.set('small', 'v', [1]);
    cache.set('large', 'v', [1, 2, 3]);
    expect(cache.get('large', 'v')).toBeUndefined();
    expect(cache.get('small', 'v')).toEqual([1]);
  });

  it('refuses a size that is not a whole number of at least 1', () => {
    for (const size of [0, -1, 1.5, Number.NaN]) expect(() => new FigureCache(size)).toThrow(RangeError);
  });
});
