import type { ChaosOptions } from './chaos-run';

type Preset = Pick<
  ChaosOptions,
  'title' | 'rate' | 'durationMs' | 'quietMs' | 'brokerDownMs' | 'storeDownMs' | 'seed'
>;

/** A broker is restarted 20 s after it was killed; a store is down for 15 s (issue 17's scenario). */
const FAULT_LENGTHS = { brokerDownMs: 20_000, storeDownMs: 15_000 };

/** The two lengths the suite runs at: `npm test` runs the short one, `npm run chaos` the full one. */
export const CHAOS_PRESETS: Record<'short' | 'full', Preset> = {
  short: {
    title: 'Chaos suite, short',
    rate: 200,
    durationMs: 60_000,
    quietMs: 10_000,
    seed: 'chaos',
    ...FAULT_LENGTHS,
  },
  full: {
    title: 'Chaos suite',
    rate: 2_000,
    durationMs: 600_000,
    quietMs: 30_000,
    seed: 'chaos',
    ...FAULT_LENGTHS,
  },
};
