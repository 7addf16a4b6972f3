/**
 * Polls `condition` until it holds or `timeoutMs` passes; the tests' only way to wait for something
 * asynchronous (the tools' waitFor is out of reach: libraries do not import tools/).
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
