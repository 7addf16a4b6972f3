import type { ApiSchema } from './api-schema';

/**
 * The gateway's JSON error body (docs/gateway.md, "Errors"), each field optional: an error can come
 * from something in between (a proxy's page), not from the gateway.
 */
export type Problem = Partial<ApiSchema<'Problem'>>;

export type FailureKind =
  'signed-out' | 'forbidden' | 'invalid' | 'rate-limited' | 'not-found' | 'server' | 'network';

export interface Failure {
  kind: FailureKind;
  status: number;
  message: string;
}

/** What a person should read when a call fails: never a blank page, never a stack trace. */
export function describeFailure(
  status: number,
  problem?: Problem | null,
  retryAfter?: string | null,
): Failure {
  const detail = problem?.message;
  switch (status) {
    case 0:
      return {
        kind: 'network',
        status,
        message: 'Could not reach the gateway. Check the connection and try again.',
      };
    case 401:
      return {
        kind: 'signed-out',
        status,
        message: 'Your token has expired or is not valid. Sign in again with a fresh token.',
      };
    case 403:
      return {
        kind: 'forbidden',
        status,
        message: 'This page needs the admin role, and your token does not have it.',
      };
    case 404:
      return { kind: 'not-found', status, message: detail ? `Not found: ${detail}.` : 'Not found.' };
    case 429:
      return {
        kind: 'rate-limited',
        status,
        message: `Too many requests; try again${retryAfter ? ` in ${retryAfter} s` : ' shortly'}.`,
      };
    default:
      if (status >= 400 && status < 500)
        return {
          kind: 'invalid',
          status,
          message: `${problem?.field ? `${problem.field}: ` : ''}${detail ?? 'the request was refused'}.`,
        };
      return { kind: 'server', status, message: `The gateway failed (${status}). Try again in a moment.` };
  }
}
