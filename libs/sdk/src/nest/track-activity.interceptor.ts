import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import { ActivityClient } from '../lib/activity-client';
import { DEFAULTS } from '../lib/activity-client.options';
import { RateLimitedWarning } from '../lib/rate-limited-warning';
import { activityFromRequest } from './activity-from-request.util';
import { TRACK_ACTIVITY_METADATA } from './track-activity.decorator';
import type { TrackActivitySpec } from './track-activity.options';

/** The Node response under Express's response or Fastify's reply (`reply.raw`). */
interface RawResponse {
  statusCode: number;
  writableFinished: boolean;
  once(event: 'finish', listener: () => void): unknown;
}

/**
 * Logs the activity of `@TrackActivity` handlers once their response has been sent with a success status.
 * Registered for every route by ActivityModule; handlers without the decorator pass straight through.
 *
 * The work happens on the response's `finish`, off the request's path: the client is told nothing until
 * the user has their answer, and the final status (after exception filters) decides. Nothing here can
 * fail a request: the client's log() does not throw, and the application's callbacks are guarded.
 */
@Injectable()
export class TrackActivityInterceptor implements NestInterceptor {
  private readonly logger = new Logger('TrackActivity');
  // Rate-limited, so a callback that throws on every request does not flood the logs.
  private readonly warning = new RateLimitedWarning(
    (message) => this.logger.warn(message),
    DEFAULTS.warningIntervalMs,
  );

  // Tokens named explicitly: under tsx/esbuild (how the apps run) there is no decorator metadata to infer them from.
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ActivityClient) private readonly client: ActivityClient,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const spec = this.reflector.get<TrackActivitySpec | undefined>(
      TRACK_ACTIVITY_METADATA,
      context.getHandler(),
    );
    if (spec === undefined) return next.handle();

    const http = context.switchToHttp();
    const request: unknown = http.getRequest();
    const response: unknown = http.getResponse();
    let seen = false;
    // `next` only fires for a handler that returned; a thrown error skips it. Streaming handlers (SSE)
    // emit many values: the first one stands for the request.
    return next.handle().pipe(
      tap((body: unknown) => {
        if (seen) return;
        seen = true;
        try {
          this.afterResponse(spec, request, response, body);
        } catch (error) {
          this.warn(spec, error);
        }
      }),
    );
  }

  private afterResponse(spec: TrackActivitySpec, request: unknown, response: unknown, body: unknown): void {
    const raw = rawResponse(response);
    if (raw === undefined) {
      this.record(spec, request, body);
      return;
    }
    const recordIfSuccessful = () => {
      if (raw.statusCode < 400) this.record(spec, request, body);
    };
    // A handler that wrote the response itself (`@Res()`) may already have finished it.
    if (raw.writableFinished) recordIfSuccessful();
    else raw.once('finish', recordIfSuccessful);
  }

  private record(spec: TrackActivitySpec, request: unknown, body: unknown): void {
    try {
      const input = activityFromRequest(spec, request, body);
      // Invalid or dropped events are counted (and reported) by the client itself.
      if (input !== undefined) this.client.log(input);
    } catch (error) {
      // Runs in an event listener: an escaping error would crash the process, not just this request.
      this.warn(spec, error);
    }
  }

  private warn(spec: TrackActivitySpec, error: unknown): void {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error was thrown';
    this.warning.warn(`${spec.type} not logged: ${reason}`);
  }
}

function rawResponse(response: unknown): RawResponse | undefined {
  if (isRawResponse(response)) return response;
  const fastifyRaw = (response as { raw?: unknown } | undefined)?.raw;
  return isRawResponse(fastifyRaw) ? fastifyRaw : undefined;
}

function isRawResponse(value: unknown): value is RawResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RawResponse).statusCode === 'number' &&
    typeof (value as RawResponse).once === 'function'
  );
}
