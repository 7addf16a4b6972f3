import type { Logger } from './logger';

export interface ProgressLog {
  /** Logs now (if anything moved), e.g. once more at shutdown. */
  report(): Promise<void>;
  stop(): void;
}

/**
 * A `progress` line every interval with the counters `read` returns, and the rate of `rateOf` since
 * the last line, so that a person watching a long-running service sees it move. Silent while nothing
 * changes.
 */
export function startProgressLog(
  logger: Logger,
  intervalMs: number,
  read: () => Promise<Record<string, number>>,
  rateOf: string,
): ProgressLog {
  let last: { values: Record<string, number>; at: number } = { values: {}, at: Date.now() };
  const report = async () => {
    const values = await read();
    const now = Date.now();
    if (Object.keys(values).every((key) => values[key] === (last.values[key] ?? 0))) return;
    const seconds = Math.max(0.001, (now - last.at) / 1000);
    const perSecond = Math.round(((values[rateOf] ?? 0) - (last.values[rateOf] ?? 0)) / seconds);
    logger.info('progress', { ...values, [`${rateOf}PerSecond`]: perSecond });
    last = { values, at: now };
  };
  const timer = intervalMs > 0 ? setInterval(() => void report(), intervalMs) : undefined;
  timer?.unref();
  return {
    report,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}

/** The total of every series of a prom-client counter or gauge. */
export async function metricTotal(metric: {
  get(): Promise<{ values: { value: number }[] }>;
}): Promise<number> {
  return (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);
}
