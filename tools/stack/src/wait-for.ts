export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message. */
  what?: string;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the time runs out. A
 * condition that throws counts as "not yet"; its last error is named in the timeout message.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'a condition'}${reason}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

/** Scrapes `<opsUrl>/metrics` until `accept` takes the page, which is returned (see waitFor). */
export function waitForMetrics(
  opsUrl: string,
  accept: (text: string) => boolean,
  options: WaitOptions,
): Promise<string> {
  return waitFor(async () => {
    const text = await (await fetch(`${opsUrl}/metrics`)).text();
    return accept(text) ? text : undefined;
  }, options);
}
