import { SetMetadata } from '@nestjs/common';
import type {
  ActivityTypeName,
  TrackActivityOptions,
  TrackActivitySpec,
  TrackedRequest,
} from './track-activity.options';

export const TRACK_ACTIVITY_METADATA = 'chronicle:track-activity';

/**
 * Logs an activity of `type` after each successful response of this handler (status below 400), through
 * the module's `ActivityClient`: fire-and-forget, after the response has been sent, never failing it.
 *
 * - Nothing is logged when the handler throws or the response is an error.
 * - The actor is the authenticated user: `request.user.id` or `request.user.sub`, as a `user` actor.
 *   **Without a user (an anonymous request), nothing is logged**; map another user shape with `actor`.
 * - `context.requestId` comes from the `x-request-id` header when present; IP, user agent and e-mail
 *   are never read from the request.
 * - HTTP handlers only; requires `ActivityModule` (it registers the interceptor for every route).
 *
 * @example
 * @TrackActivity('app.viewed', { entity: { type: 'app', param: 'appId' }, metadata: () => ({ referrer: 'search' }) })
 */
export function TrackActivity<TRequest = TrackedRequest, TBody = unknown>(
  type: ActivityTypeName,
  options: TrackActivityOptions<TRequest, TBody> = {},
): MethodDecorator {
  // The callbacks are stored with their types erased; the interceptor passes the request and body they declared.
  const spec = { ...options, type } as TrackActivitySpec;
  return SetMetadata(TRACK_ACTIVITY_METADATA, spec);
}
