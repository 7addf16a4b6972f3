import { errorMessage } from './logger';

/** One dependency's answer for /health: ok, or the error's message. */
export interface DependencyHealth {
  ok: boolean;
  error?: string;
}

/** Runs `check`; a throw is "not ok" with its message (a message only: no stack, no secrets in URLs). */
export async function checkDependency(check: () => Promise<unknown>): Promise<DependencyHealth> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

/**
 * `check`, run at most once per `maxAgeMs`: callers within that time get the last answer, and callers
 * during a run share it. Health endpoints are public and polled; each call must not become a query
 * to every engine.
 */
export function cachedHealth<T>(
  check: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { at: number; value: T } | undefined;
  let running: Promise<T> | undefined;
  return () => {
    if (last !== undefined && now() - last.at < maxAgeMs) return Promise.resolve(last.value);
    running ??= check()
      .then((value) => {
        last = { at: now(), value };
        return value;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
