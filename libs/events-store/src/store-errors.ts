/** What a failed write means for the batch. */
export type StoreFailure =
  /** The data itself: the same rows will fail again (class 22, data exception; 54, too large). */
  | 'rejected-data'
  /** No partition for a row's day: it was dropped by retention or never made; refresh and retry. */
  | 'missing-partition'
  /**
   * Anything else: connection lost, server restarting, lock timeout, or a unique violation because a
   * second writer stored the same event first (the retry finds it stored). Retry later.
   */
  | 'transient';

export function classifyStoreError(error: unknown): StoreFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'transient';
  if (code === '23514' && /no partition/i.test(String((error as Error).message))) return 'missing-partition';
  if (code.startsWith('22') || code.startsWith('54')) return 'rejected-data';
  return 'transient';
}
