import fc from 'fast-check';
import { writeIsolatingRejects, type StoreFailureKind } from './reject-isolation';

class StoreError extends Error {
  constructor(readonly kind: StoreFailureKind) {
    super(`store said ${kind}`);
  }
}

/** A store that takes a set whole or refuses it whole, as a transaction or an insert does. */
function fakeStore(refuses: (items: number[]) => StoreFailureKind | undefined) {
  const stored: number[] = [];
  const writes: number[][] = [];
  return {
    stored,
    writes,
    options: {
      write: async (items: number[]) => {
        writes.push(items);
        const kind = refuses(items);
        if (kind !== undefined) throw new StoreError(kind);
        stored.push(...items);
        return items.length;
      },
      classify: (error: unknown) => (error as StoreError).kind,
      unknownRetryDelayMs: () => 0,
    },
  };
}

describe('writeIsolatingRejects', () => {
  it('writes a batch that the store takes in one write', async () => {
    const store = fakeStore(() => undefined);
    const result = await writeIsolatingRejects([1, 2, 3], store.options);
    expect(result).toEqual({ written: [3], rejected: [] });
    expect(store.writes).toHaveLength(1);
  });

  it('does nothing for no items', async () => {
    const store = fakeStore(() => undefined);
    expect(await writeIsolatingRejects([], store.options)).toEqual({ written: [], rejected: [] });
    expect(store.writes).toHaveLength(0);
  });

  it('throws a transient failure at once, without splitting the batch', async () => {
    const store = fakeStore(() => 'transient');
    await expect(writeIsolatingRejects([1, 2, 3, 4], store.options)).rejects.toThrow('store said transient');
    expect(store.writes).toHaveLength(1);
  });

  it('throws a transient failure met while isolating, after writing what it could', async () => {
    const store = fakeStore((items) =>
      items.includes(2) ? 'deterministic' : items.includes(4) ? 'transient' : undefined,
    );
    await expect(writeIsolatingRejects([1, 2, 3, 4], store.options)).rejects.toThrow('store said transient');
    expect(store.stored).toEqual([1]);
  });

  it('retries an unknown failure on the whole batch, and writes it whole when it clears', async () => {
    let failures = 2;
    const store = fakeStore(() => (failures-- > 0 ? 'unknown' : undefined));
    const result = await writeIsolatingRejects([1, 2, 3], { ...store.options, unknownAttempts: 3 });
    expect(result.rejected).toEqual([]);
    expect(store.writes).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('takes an unknown failure that does not clear as the records', async () => {
    const store = fakeStore((items) => (items.includes(3) ? 'unknown' : undefined));
    const failures: StoreFailureKind[] = [];
    const result = await writeIsolatingRejects([1, 2, 3, 4], {
      ...store.options,
      unknownAttempts: 2,
      onFailure: (_error, kind) => failures.push(kind),
    });
    expect(result.rejected.map((r) => r.item)).toEqual([3]);
    expect((result.rejected[0]?.error as Error).message).toBe('store said unknown');
    expect(store.stored.sort()).toEqual([1, 2, 4]);
    // Two attempts at the whole batch, then halves: [1,2] ok, [3,4] fails, [3] fails, [4] ok.
    expect(failures).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('rejects exactly the refused records and writes every other one once, for any batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            bad: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 8) }),
            kind: fc.constantFrom<StoreFailureKind>('deterministic', 'unknown'),
          }),
        ),
        async ({ n, bad, kind }) => {
          const items = Array.from({ length: n }, (_, i) => i);
          const refused = new Set(bad);
          const store = fakeStore((set) => (set.some((i) => refused.has(i)) ? kind : undefined));
          const result = await writeIsolatingRejects(items, store.options);
          expect(result.rejected.map((r) => r.item).sort((a, b) => a - b)).toEqual(
            [...refused].sort((a, b) => a - b),
          );
          expect(store.stored.sort((a, b) => a - b)).toEqual(items.filter((i) => !refused.has(i)));
          // Bounded: the whole batch up to 3 times, then at most two writes per level per refused record.
          const levels = Math.ceil(Math.log2(n)) + 1;
          expect(store.writes.length).toBeLessThanOrEqual(3 + 2 * levels * Math.max(1, refused.size));
        },
      ),
      { numRuns: 300 },
    );
  });
});
