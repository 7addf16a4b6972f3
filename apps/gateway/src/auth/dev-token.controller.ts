import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Req,
} from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { FieldError } from '../http/field-error';
import { isLoopbackAddress } from '../http/loopback';
import { Public } from './access.decorators';
import { mintLocalToken } from './local-token';
import { ApiProblems } from '../openapi/api-problems';
import { DevSignInStatus, DevToken, DevTokenRequest } from './dev-token.schemas';

/** The tokens the dev sign-in mints live an hour: enough for a session, short enough to forget. */
export const DEV_TOKEN_TTL_SECONDS = 3_600;
/** The verifier's limit on `sub`; no whitespace, so that the id reads the same everywhere it shows. */
const USER_ID = /^\S{1,128}$/;

/** `{ userId, admin? }` checked; a 400 naming the field otherwise. */
export function parseDevTokenRequest(body: unknown): Required<DevTokenRequest> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new FieldError('body', 'must be a JSON object { "userId": "...", "admin": true|false }');
  const { userId, admin } = body as { userId?: unknown; admin?: unknown };
  if (typeof userId !== 'string' || !USER_ID.test(userId))
    throw new FieldError('userId', 'must be 1 to 128 characters without whitespace');
  if (admin !== undefined && typeof admin !== 'boolean')
    throw new FieldError('admin', 'must be true or false');
  return { userId, admin: admin ?? false };
}

/**
 * Local dev sign-in (GATEWAY_DEV_SIGN_IN): a token for any user id, signed with the configured HS256
 * secret. Registered only when the flag is on, so that the route is a plain 404 everywhere else.
 * Public by design, so it is kept local twice: the configuration refuses it on a gateway listening
 * beyond this machine, and it answers only callers on this machine (403 otherwise).
 */
@Public()
@ApiTags('local dev')
@ApiProblems({ 404: 'The dev sign-in is off (the default).' })
@Controller('api/dev/token')
export class DevTokenController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** Lets the sign-in page know that it may offer the dev sign-in. */
  @Get()
  @ApiOperation({
    summary: 'Whether the local dev sign-in is on: `{ enabled: true }`, else 404.',
    description:
      'Local only: the route exists when the gateway runs with `GATEWAY_DEV_SIGN_IN=true` (npm start).',
  })
  @ApiOkResponse({ type: DevSignInStatus })
  status(): DevSignInStatus {
    return { enabled: true };
  }

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Mint a 1-hour token for any user id, signed with JWT_HS256_SECRET.',
    description:
      'Local only, and unauthenticated by design: it exists when the gateway runs with ' +
      '`GATEWAY_DEV_SIGN_IN=true` (npm start turns it on with the HS256 secret it makes), and answers ' +
      'only callers on the same machine. Never turn it on where anyone but the developer can reach the gateway.',
  })
  @ApiBody({ type: DevTokenRequest, required: true })
  @ApiOkResponse({ type: DevToken })
  @ApiProblems({
    400: '`userId` or `admin` is invalid; `field` names it.',
    403: 'The caller is not on this machine.',
    429: 'Too many requests from this address; retry after the `Retry-After` seconds.',
  })
  async mint(@Body() body: unknown, @Req() request: Pick<Request, 'socket'>): Promise<DevToken> {
    if (!isLoopbackAddress(request.socket.remoteAddress))
      throw new ForbiddenException('the dev sign-in answers only callers on this machine');
    const { userId, admin } = parseDevTokenRequest(body);
    const { keys, issuer, audience } = this.config.jwt;
    // The config refuses the flag without an HS256 secret; this is the wiring's last word on it.
    if (keys.kind !== 'hs256') throw new Error('the dev sign-in needs an HS256 secret');
    const token = await mintLocalToken({
      secret: keys.secret,
      userId,
      admin,
      ttlSeconds: DEV_TOKEN_TTL_SECONDS,
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    });
    return { token };
  }
}
