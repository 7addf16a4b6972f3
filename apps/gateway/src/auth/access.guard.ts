import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_KEY, requestOf, type Access, type AuthenticatedRequest } from './access.decorators';
import { sourceOfApiKey } from './api-keys';
import { InvalidTokenError, TokenVerifier, type Principal } from './token-verifier';

export const API_KEYS = Symbol('API_KEYS');

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * Authenticates every route and GraphQL resolver by its declared access: a user token (the default),
 * an admin token, an API key, or nothing. 401 says "who are you?" (missing, malformed, expired,
 * wrongly signed token); 403 says "you may not" (a valid token without the admin role).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(API_KEYS) private readonly apiKeys: ReadonlyMap<string, string>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ??
      'user';
    if (access === 'public') return true;
    const request = requestOf<AuthenticatedRequest & { headers: Record<string, unknown> }>(context);
    if (access === 'api-key') {
      request.apiKeySource = this.sourceOfApiKey(request.headers['x-api-key']);
      return true;
    }
    request.user = await authenticateRequest(this.verifier, request);
    if (access === 'admin' && !request.user.admin)
      throw new ForbiddenException(
        `this ${context.getType() === 'http' ? 'route' : 'field'} needs the admin role`,
      );
    return true;
  }

  private sourceOfApiKey(header: unknown): string {
    if (typeof header !== 'string' || header.length === 0)
      throw new UnauthorizedException('an X-API-Key header is required');
    const source = sourceOfApiKey(this.apiKeys, header);
    if (source === undefined) throw new UnauthorizedException('the API key is not valid');
    return source;
  }
}

/**
 * The caller of a request's `Authorization` header, verified once per request: the rate limit asks
 * first (to key its bucket), the access guard after it, and both get the same answer.
 */
const verified = new WeakMap<object, Promise<Principal>>();

export function authenticateRequest(
  verifier: TokenVerifier,
  request: { headers?: Record<string, unknown> },
): Promise<Principal> {
  let principal = verified.get(request);
  if (principal === undefined) {
    principal = authenticate(verifier, request.headers?.['authorization']);
    verified.set(request, principal);
  }
  return principal;
}

/** The caller of an `Authorization: Bearer …` header; 401 when it is missing or does not verify. */
export async function authenticate(verifier: TokenVerifier, header: unknown): Promise<Principal> {
  const token = bearerToken(header);
  if (token === undefined) throw new UnauthorizedException('a bearer token is required');
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
    throw error;
  }
}
