import {
  ForbiddenException,
  UnauthorizedException,
  type ExecutionContext,
  type HttpException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessGuard, authenticate, bearerToken } from './access.guard';
import { AdminOnly, ApiKeyAccess, Public, type AuthenticatedRequest } from './access.decorators';
import { mintLocalToken } from './local-token';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';
const API_KEY = 'web-key-0123456789abcdef0123';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
    ['  Bearer\tabc', 'abc'],
  ])('reads %p as %p', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme without a token', 'Bearer'],
    ['a scheme with blank token', 'Bearer   '],
    ['two tokens', 'Bearer abc def'],
    ['a bare token', 'abc.def.ghi'],
    ['a repeated header', ['Bearer abc', 'Bearer def']],
  ])('finds no token in %s', (_what, header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

/** Routes declaring each kind of access, the way controllers do. */
class UserController {
  timeline(): string {
    return 'timeline';
  }
  @AdminOnly()
  search(): string {
    return 'search';
  }
  @Public()
  docs(): string {
    return 'docs';
  }
  @ApiKeyAccess()
  collect(): string {
    return 'collect';
  }
}

@Public()
class HealthController {
  live(): string {
    return 'live';
  }
}

type Request = AuthenticatedRequest & { headers: Record<string, unknown> };

function contextFor(controller: new () => object, handler: string, request: Request): ExecutionContext {
  return {
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    getClass: () => controller,
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AccessGuard', () => {
  let verifier: TokenVerifier;
  let guard: AccessGuard;
  let userToken: string;
  let adminToken: string;

  beforeAll(async () => {
    verifier = await TokenVerifier.create({ keys: { kind: 'hs256', secret: SECRET }, clockSkewSeconds: 5 });
    userToken = await mintLocalToken({ secret: SECRET, userId: 'u_123' });
    adminToken = await mintLocalToken({ secret: SECRET, userId: 'u_admin', admin: true });
  });

  beforeEach(() => {
    guard = new AccessGuard(new Reflector(), verifier, new Map([[API_KEY, '/services/web']]));
  });

  /** The HTTP error canActivate fails with. */
  async function refusal(context: ExecutionContext): Promise<HttpException> {
    try {
      await guard.canActivate(context);
    } catch (error) {
      return error as HttpException;
    }
    throw new Error('expected the guard to refuse the request');
  }

  describe('a public route', () => {
    it('lets anyone in, without looking at the headers', async () => {
      const request: Request = { headers: { authorization: 'Bearer garbage' } };
      await expect(guard.canActivate(contextFor(UserController, 'docs', request))).resolves.toBe(true);
      expect(request.user).toBeUndefined();
    });

    it('may be declared for a whole controller', async () => {
      await expect(guard.canActivate(contextFor(HealthController, 'live', { headers: {} }))).resolves.toBe(
        true,
      );
    });
  });

  describe('an undecorated route (user access, the default)', () => {
    it('lets a user in and sets request.user', async () => {
      const request: Request = { headers: { authorization: `Bearer ${userToken}` } };
      await expect(guard.canActivate(contextFor(UserController, 'timeline', request))).resolves.toBe(true);
      expect(request.user).toMatchObject({ id: 'u_123', admin: false });
    });

    it('answers 401 without a token', async () => {
      const error = await refusal(contextFor(UserController, 'timeline', { headers: {} }));
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(error.message).toBe('a bearer token is required');
    });

    it('answers 401 for a token that does not verify, saying why', async () => {
      const otherToken = await mintLocalToken({ secret: 'x'.repeat(40), userId: 'u_123' });
      const request: Request = { headers: { authorization: `Bearer ${otherToken}` } };
      const error = await refusal(contextFor(UserController, 'timeline', request));
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(error.getStatus()).toBe(401);
      expect(error.message).toBe('the token signature does not verify');
      expect(request.user).toBeUndefined();
    });

    it('does not take an API key instead of a token', async () => {
      const error = await refusal(
        contextFor(UserController, 'timeline', { headers: { 'x-api-key': API_KEY } }),
      );
      expect(error).toBeInstanceOf(UnauthorizedException);
    });
  });

  describe('an admin route', () => {
    it('lets an admin in', async () => {
      const request: Request = { headers: { authorization: `Bearer ${adminToken}` } };
      await expect(guard.canActivate(contextFor(UserController, 'search', request))).resolves.toBe(true);
      expect(request.user).toMatchObject({ id: 'u_admin', admin: true });
    });

    it('answers 403 to a valid user without the admin role', async () => {
      const error = await refusal(
        contextFor(UserController, 'search', { headers: { authorization: `Bearer ${userToken}` } }),
      );
      expect(error).toBeInstanceOf(ForbiddenException);
      expect(error.getStatus()).toBe(403);
      expect(error.message).toBe('this route needs the admin role');
    });

    it('answers 401, not 403, without a token', async () => {
      const error = await refusal(contextFor(UserController, 'search', { headers: {} }));
      expect(error).toBeInstanceOf(UnauthorizedException);
    });
  });

  describe('an API key route', () => {
    it('takes the right key and records the source it publishes as', async () => {
      const request: Request = { headers: { 'x-api-key': API_KEY } };
      await expect(guard.canActivate(contextFor(UserController, 'collect', request))).resolves.toBe(true);
      expect(request.apiKeySource).toBe('/services/web');
      expect(request.user).toBeUndefined();
    });

    it.each([
      ['no key', {}, 'an X-API-Key header is required'],
      ['an empty key', { 'x-api-key': '' }, 'an X-API-Key header is required'],
      ['a repeated header', { 'x-api-key': [API_KEY, API_KEY] }, 'an X-API-Key header is required'],
      ['a wrong key', { 'x-api-key': 'web-key-0123456789abcdef0124' }, 'the API key is not valid'],
      ['a prefix of the key', { 'x-api-key': API_KEY.slice(0, -1) }, 'the API key is not valid'],
      ['a user token', { authorization: `Bearer ${API_KEY}` }, 'an X-API-Key header is required'],
    ])('answers 401 to %s', async (_what, headers, message) => {
      const request: Request = { headers };
      const error = await refusal(contextFor(UserController, 'collect', request));
      expect(error).toBeInstanceOf(UnauthorizedException);
      expect(error.message).toBe(message);
      expect(request.apiKeySource).toBeUndefined();
    });
  });
});

describe('authenticate', () => {
  it('lets an unexpected verifier failure through rather than calling it a 401', async () => {
    const failing = {
      verify: () => Promise.reject(new Error('JWKS endpoint unreachable')),
    } as unknown as TokenVerifier;
    await expect(authenticate(failing, 'Bearer abc')).rejects.toThrow('JWKS endpoint unreachable');
    await expect(authenticate(failing, 'Bearer abc')).rejects.not.toBeInstanceOf(UnauthorizedException);
  });
});
