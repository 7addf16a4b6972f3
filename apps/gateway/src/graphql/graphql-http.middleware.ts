import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { API_KEYS, authenticateRequest } from '../auth/access.guard';
import { TokenVerifier } from '../auth/token-verifier';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LIMITS } from '../gateway.tokens';
import { FieldError } from '../http/field-error';
import { jsonBodyReader } from '../http/json-body.interceptor';
import { callerKey, rateLimitTracker, spendRateLimit } from '../http/rate-limit';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import type { GatewayLimits } from '../limits/gateway-limits';
import { DOCUMENT_TOO_LONG, MAX_DOCUMENT_LENGTH } from './document-limits';

/**
 * GraphQL over HTTP, before Apollo Server reads the request: Nest's guards run per resolver, not per
 * request, so what REST's guards do for a route happens here once per request, in their order. The
 * request counts against its caller's rate limit (the budget REST and graphql-ws spend too), needs a
 * user token (401 otherwise, for the whole request), takes one of the caller's running GraphQL
 * operations until it is answered (429 over the cap), and only then has its JSON body read; a
 * document longer than MAX_DOCUMENT_LENGTH is refused before it is parsed (Apollo Server's hooks can
 * refuse nothing before that). The resolvers' own access rules (@AdminOnly) are the AccessGuard's.
 */
@Injectable()
export class GraphqlHttpMiddleware implements NestMiddleware {
  private readonly tracker: ReturnType<typeof rateLimitTracker>;
  private readonly readBody: ReturnType<typeof jsonBodyReader>;

  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(API_KEYS) apiKeys: ReadonlyMap<string, string>,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(GATEWAY_LIMITS) private readonly limits: GatewayLimits,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {
    this.tracker = rateLimitTracker({ verifier, apiKeys });
    this.readBody = jsonBodyReader(config.bodyLimitBytes);
  }

  async use(request: Request & AuthenticatedRequest, response: Response, next: NextFunction): Promise<void> {
    const tracker = await this.tracker(request as unknown as Record<string, unknown>);
    const spent = await spendRateLimit(this.storage, tracker, this.config.rateLimitPerMinute);
    if (!spent.allowed)
      throw new TooManyRequestsError(
        `rate limit exceeded; retry in ${spent.retryAfterSeconds} s`,
        spent.retryAfterSeconds,
      );
    request.user = await authenticateRequest(this.verifier, request);
    const release = this.limits.graphqlOperations.acquire(callerKey(request.user));
    response.once('close', release);
    await this.readBody(request, response);
    const document = (request.body as { query?: unknown } | undefined)?.query;
    if (typeof document === 'string' && document.length > MAX_DOCUMENT_LENGTH)
      throw new FieldError('query', DOCUMENT_TOO_LONG);
    next();
  }
}
