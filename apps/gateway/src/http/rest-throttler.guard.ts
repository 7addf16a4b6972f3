import type { ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * The rate limit of REST routes. GraphQL is counted once per HTTP request (graphql-http.middleware.ts)
 * and once per graphql-ws operation (graphql-subscriptions.server.ts), in the same budget: counting its
 * resolvers too would spend several calls for one request.
 */
@Injectable()
export class RestThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }
}
