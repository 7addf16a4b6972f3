import { describeFailure, type Failure, type Problem } from '../src/api-problem';

const TOKEN_KEY = 'chronicle.token';

/** The bearer token, kept for the tab's session only. */
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token.trim().replace(/^Bearer\s+/i, ''));
  },
  signOut(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
  /** The token's claims, read without verifying them (the gateway verifies): for the navigation only. */
  claims(): { sub?: string; roles?: string[]; role?: string; exp?: number } | null {
    const payload = session.token?.split('.')[1];
    if (!payload) return null;
    try {
      return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as ReturnType<
        typeof session.claims
      >;
    } catch {
      return null;
    }
  },
  isAdmin(): boolean {
    const claims = session.claims();
    return claims?.roles?.includes('admin') === true || claims?.role === 'admin';
  },
};

export class ApiError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

/** A gateway call with the bearer token; a failed answer throws an ApiError with a readable message. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(describeFailure(0));
  }
  if (response.ok) return response;
  let problem: Problem | null = null;
  try {
    problem = (await response.json()) as Problem;
  } catch {
    problem = null;
  }
  throw new ApiError(describeFailure(response.status, problem, response.headers.get('Retry-After')));
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(path, signal ? { signal } : {});
  return (await response.json()) as T;
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
