const DAY_MS = 86_400_000;

export interface AnalyticsRange {
  from: string;
  to: string;
  types?: string[];
}

/**
 * The range of an analytics query: UTC days `YYYY-MM-DD`, both included; by default the 30 days
 * ending today. The analytics library checks the values and names the parameter at fault.
 */
export function analyticsRange(
  from: string | undefined,
  to: string | undefined,
  types?: string[],
): AnalyticsRange {
  const last = to ?? new Date().toISOString().slice(0, 10);
  const first = from ?? new Date(Date.parse(`${last}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  return { from: first, to: last, ...(types ? { types } : {}) };
}
