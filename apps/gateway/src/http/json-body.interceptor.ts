import {
  HttpException,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import type { Observable } from 'rxjs';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';

/**
 * JSON bodies up to GATEWAY_BODY_LIMIT_BYTES, read after the guards: a caller the rate limit or the
 * access check turns away never gets a body parsed (the 2 MiB of JSON an anonymous caller sends cost
 * nothing but the bytes). Interceptors run after guards and before Nest reads `@Body()`. A body too
 * large is 413, malformed JSON 400, both naming the field `body`.
 */
/** Reads a JSON body of at most `limitBytes` into `request.body`; rejects with a 413 or 400 naming `body`. */
export function jsonBodyReader(limitBytes: number): (request: Request, response: Response) => Promise<void> {
  const parse = express.json({ limit: limitBytes });
  return (request, response) =>
    new Promise<void>((resolve, reject) =>
      parse(request, response, (error?: unknown) =>
        error === undefined || error === null ? resolve() : reject(clientError(error, limitBytes)),
      ),
    );
}

function clientError(error: unknown, limitBytes: number): HttpException {
  const tooLarge = (error as { status?: number }).status === 413;
  const status = tooLarge ? 413 : 400;
  return new HttpException(
    {
      statusCode: status,
      error: tooLarge ? 'Payload Too Large' : 'Bad Request',
      field: 'body',
      message: tooLarge ? `body: larger than ${limitBytes} bytes` : 'body: not valid JSON',
    },
    status,
  );
}

@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly readBody: ReturnType<typeof jsonBodyReader>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.readBody = jsonBodyReader(config.bodyLimitBytes);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    // GraphQL's resolvers run after its HTTP middleware has read the body (graphql-http.middleware.ts).
    if (context.getType() === 'http') {
      const http = context.switchToHttp();
      await this.readBody(http.getRequest<Request>(), http.getResponse<Response>());
    }
    return next.handle();
  }
}
