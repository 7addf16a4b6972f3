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
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly parse: ReturnType<typeof express.json>;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.parse = express.json({ limit: config.bodyLimitBytes });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() === 'http') {
      const http = context.switchToHttp();
      await new Promise<void>((resolve, reject) =>
        this.parse(http.getRequest<Request>(), http.getResponse<Response>(), (error?: unknown) =>
          error === undefined || error === null ? resolve() : reject(this.clientError(error)),
        ),
      );
    }
    return next.handle();
  }

  private clientError(error: unknown): HttpException {
    const tooLarge = (error as { status?: number }).status === 413;
    const status = tooLarge ? 413 : 400;
    return new HttpException(
      {
        statusCode: status,
        error: tooLarge ? 'Payload Too Large' : 'Bad Request',
        field: 'body',
        message: tooLarge ? `body: larger than ${this.config.bodyLimitBytes} bytes` : 'body: not valid JSON',
      },
      status,
    );
  }
}
