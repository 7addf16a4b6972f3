/** setTimeout's longest delay (about 24.8 days); a token valid for longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onExpired` once at `validUntil` (ms since the epoch: a principal's token expiry plus the
 * clock-skew allowance), at once if that has passed. Returns the function that cancels it. One place
 * for every stream that must end with its token (SSE, graphql-ws).
 */
export function whenTokenExpires(validUntil: number, onExpired: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = validUntil - Date.now();
    if (left <= 0) onExpired();
    else timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
  };
  check();
  return () => clearTimeout(timer);
}
