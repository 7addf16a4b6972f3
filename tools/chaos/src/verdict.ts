import { isDeepStrictEqual } from 'node:util';

/** One line of the verdict: what was checked, whether it held, and the figures behind it. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

const count = new Intl.NumberFormat('en-US');

/**
 * A store holds each expected id (mapped to the event's time, named for a missing one) exactly once,
 * and nothing else. `rows` counts the stored rows, duplicates included.
 */
export function checkStoredIds(
  name: string,
  expected: ReadonlyMap<string, string>,
  stored: { rows: number; ids: ReadonlySet<string> },
): Check {
  const missing = [...expected].filter(([id]) => !stored.ids.has(id)).map(([id, time]) => `${id} of ${time}`);
  const unexpected = [...stored.ids].filter((id) => !expected.has(id));
  const duplicates = stored.rows - stored.ids.size;
  const pass = missing.length === 0 && unexpected.length === 0 && duplicates === 0;
  return {
    name,
    pass,
    detail:
      `${count.format(stored.ids.size)} distinct of ${count.format(expected.size)} expected; ` +
      `missing ${count.format(missing.length)}${sample(missing)}, unexpected ${count.format(unexpected.length)}${sample(unexpected)}, ` +
      `stored twice ${count.format(duplicates)}`,
  };
}

/** A ClickHouse figure equals the one computed from the ledger. */
export function checkFigure(name: string, expected: unknown, actual: unknown): Check {
  const pass = isDeepStrictEqual(expected, actual);
  if (pass) return { name, pass, detail: `equal (${describeSize(expected)})` };
  return { name, pass, detail: `differs: ${firstDifference(expected, actual)}` };
}

export interface DeadLetterSeen {
  /** `partition:offset` of the record on the events topic. */
  source: string;
  reason: string | undefined;
}

/** The DLQ holds exactly the poison records (each at least once, by source offset), each with its reason. */
export function checkDeadLetters(
  expected: ReadonlyMap<string, string>,
  letters: readonly DeadLetterSeen[],
): Check {
  const seen = new Map<string, string | undefined>();
  for (const letter of letters) seen.set(letter.source, letter.reason);
  const missing = [...expected.keys()].filter((source) => !seen.has(source));
  const unexpected = [...seen.keys()].filter((source) => !expected.has(source));
  const wrongReason = [...expected].filter(
    ([source, reason]) => seen.has(source) && seen.get(source) !== reason,
  );
  const reasons = [...expected.values()].reduce<Record<string, number>>(
    (byReason, reason) => ({ ...byReason, [reason]: (byReason[reason] ?? 0) + 1 }),
    {},
  );
  return {
    name: 'the DLQ holds exactly the poison records, each with its reason',
    pass: missing.length === 0 && unexpected.length === 0 && wrongReason.length === 0,
    detail:
      `${letters.length} letters for ${seen.size} records (${Object.entries(reasons)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(
          ', ',
        )}); missing ${missing.length}${sample(missing)}, unexpected ${unexpected.length}${sample(unexpected)}, ` +
      `wrong reason ${wrongReason.length}${sample(wrongReason.map(([source]) => `${source}: ${seen.get(source)}`))}`,
  };
}

/** Every event the producer handed to the SDK was published or dropped with a reason; none vanished. */
export function checkDropsAccounted(
  generated: number,
  published: number,
  dropped: Readonly<Record<string, number>>,
): Check {
  const droppedTotal = Object.values(dropped).reduce((sum, n) => sum + n, 0);
  const reasons = Object.entries(dropped).filter(([, n]) => n > 0);
  return {
    name: 'every event the SDK did not publish is counted with a reason',
    pass: published + droppedTotal === generated,
    detail:
      `${count.format(generated)} handed to the SDK = ${count.format(published)} published + ` +
      `${count.format(droppedTotal)} dropped (${reasons.length === 0 ? 'none' : reasons.map(([r, n]) => `${count.format(n)} ${r}`).join(', ')})` +
      (published + droppedTotal === generated
        ? ''
        : `; ${count.format(generated - published - droppedTotal)} unaccounted`),
  };
}

export interface ErasureOutcome {
  requestId: string;
  /** Stores that published a completion for it. */
  completedBy: ReadonlySet<string>;
  /** The subject's rows still in each store. */
  remaining: Readonly<Record<'postgres' | 'clickhouse', number>>;
}

/** Each erasure completed in both stores, and neither holds a row of its subject any more. */
export function checkErasures(outcomes: readonly ErasureOutcome[]): Check {
  const incomplete = outcomes.filter(
    (o) =>
      !o.completedBy.has('postgres') ||
      !o.completedBy.has('clickhouse') ||
      o.remaining.postgres > 0 ||
      o.remaining.clickhouse > 0,
  );
  return {
    name: 'erasures completed in both stores',
    pass: outcomes.length > 0 && incomplete.length === 0,
    detail:
      `${outcomes.length - incomplete.length} of ${outcomes.length} completed in both stores with no row left` +
      incomplete
        .map(
          (o) =>
            `; ${o.requestId}: completed by ${[...o.completedBy].join('+') || 'none'}, ` +
            `left ${o.remaining.postgres} in Postgres, ${o.remaining.clickhouse} in ClickHouse`,
        )
        .join(''),
  };
}

/** No worker exited on its own: every fault is ridden out, not survived by a restart. */
export function checkNoCrashes(unexpectedExits: readonly string[]): Check {
  return {
    name: 'no worker exited by itself',
    pass: unexpectedExits.length === 0,
    detail: unexpectedExits.length === 0 ? 'none did' : unexpectedExits.join('; '),
  };
}

function sample(items: readonly string[]): string {
  return items.length === 0 ? '' : ` (e.g. ${items.slice(0, 3).join(', ')})`;
}

function describeSize(value: unknown): string {
  return Array.isArray(value) ? `${value.length} row${value.length === 1 ? '' : 's'}` : JSON.stringify(value);
}

function firstDifference(expected: unknown, actual: unknown): string {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++)
      if (!isDeepStrictEqual(expected[i], actual[i]))
        return `row ${i}: expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(actual[i])} (${expected.length} vs ${actual.length} rows)`;
  }
  return `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
