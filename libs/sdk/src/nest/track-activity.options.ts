import type { Actor, ActivityMetadata, BuiltInActivityType, EntityRef } from '@chronicle/contracts';

/**
 * The parts of an HTTP request the tracking reads. Express's and Fastify's requests both fit; handlers'
 * own callbacks can declare their framework's request type instead (it is inferred).
 */
export interface TrackedRequest {
  /** Set by the application's authentication (a guard, Passport, a middleware). */
  user?: unknown;
  params?: Record<string, string | undefined>;
  headers?: Record<string, string | string[] | undefined>;
}

/** Where the entity comes from: a route param (`{ type: 'app', param: 'appId' }`) or a function. */
export type EntitySource<TRequest = TrackedRequest> =
  { type: string; param: string } | ((request: TRequest) => EntityRef | undefined);

export interface TrackActivityOptions<TRequest = TrackedRequest, TBody = unknown> {
  /** The entity the activity is about; required by the catalog for types that declare an entity type. */
  entity?: EntitySource<TRequest>;
  /** The event's metadata, from the request and the handler's response body. No PII: the contract rejects it. */
  metadata?: (request: TRequest, body: TBody) => ActivityMetadata | undefined;
  /**
   * Who did it, when `request.user` is not `{ id }` or `{ sub }`. Returning undefined logs nothing: an
   * activity without an actor is not an activity of anyone.
   */
  actor?: (request: TRequest) => Actor | undefined;
}

/** An activity type of the built-in catalog (autocompleted), or one a custom catalog adds. */
// `string & {}` keeps the literals visible to the editor instead of collapsing the union into `string`.
export type ActivityTypeName = BuiltInActivityType | (string & {});

/** What the decorator stores on the handler and the interceptor reads. */
export interface TrackActivitySpec extends TrackActivityOptions<unknown, unknown> {
  type: string;
}
