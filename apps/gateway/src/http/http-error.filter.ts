import { AnalyticsQueryError } from '@chronicle/analytics';
import { isStatementCancelled } from '@chronicle/events-store';
import { errorMessage, type Logger } from '@chronicle/observability';
import {
  BadRequestException,
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { LOGGER } from '../gateway.tokens';
import { TooManyRequestsError } from '../limits/concurrency-limit';

/**
 * Every error as JSON `{ statusCode, error, message[, field] }`. Client errors keep their message;
 * anything unexpected is a bare 500 (the log has the message, the response never a stack or SQL).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // A resolver's error goes back to GraphQL, whose formatError answers it (graphql-errors.ts).
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // Express could not percent-decode a path parameter (`/erasures/%80`); Nest maps that to a bare 400.
    if (exception instanceof BadRequestException && exception.message.startsWith('Failed to decode param')) {
      response.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        field: 'path',
        message: 'path: a segment is not percent-encoded UTF-8',
      });
      return;
    }
    if (exception instanceof TooManyRequestsError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      response
        .status(exception.getStatus())
        .json(
          typeof body === 'string'
            ? { statusCode: exception.getStatus(), error: exception.name, message: body }
            : body,
        );
      return;
    }
    if (exception instanceof AnalyticsQueryError) {
      response.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        field: exception.parameter,
        message: exception.message,
      });
      return;
    }
    // statement_timeout (GATEWAY_STATEMENT_TIMEOUT_MS) cancelled the query: the store is slow or busy.
    if (isStatementCancelled(exception)) {
      response.setHeader('Retry-After', '5');
      response.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the query took too long; retry later or narrow the filters',
      });
      return;
    }
    this.logger.error('request failed', {
      method: request.method,
      route: (request.route?.path as string | undefined) ?? 'unmatched',
      error: errorMessage(exception),
    });
    response.status(500).json({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  }
}
