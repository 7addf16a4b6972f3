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
