export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** 0..1: how much of each delay is random, so that instances that failed together retry apart. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000, jitter: 0.2 };

/** The delay before retry `attempt` (1-based): doubling from initialMs, capped at maxMs, with jitter. */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  const jitter = options.jitter ?? 0;
  return Math.round(base * (1 - jitter + jitter * random()));
}

/**
 * Runs `operation` until it succeeds, waiting `backoffDelay` between attempts: how a service waits for
 * a dependency that is not up yet at start-up. `onRetry` is told each failure; once `shouldStop`
 * says so, the last error is thrown instead of waiting again.
 */
export async function retryWithBackoff<T>(
  operation: () => Promise<T>,
  options: {
    backoff?: BackoffOptions;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
    shouldStop?: () => boolean;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (options.shouldStop?.()) throw error;
      const delayMs = backoffDelay(attempt, options.backoff ?? DEFAULT_BACKOFF);
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
