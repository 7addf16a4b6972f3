/** Who did it: a person, Chronicle-internal machinery, or another service acting on its own. */
export const ACTOR_TYPES = ['user', 'system', 'service'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface Actor {
  type: ActorType;
  /** Opaque id, 1–128 characters. Never an e-mail address or a name: erasure and pseudonymisation key on it. */
  id: string;
}

/** What the activity is about, e.g. `{ type: 'app', id: 'app_42' }`. */
export interface EntityRef {
  type: string;
  id: string;
}

/** The only context keys an event may carry; see CONTEXT_KEYS for why there is no IP or user agent. */
export interface ActivityContext {
  requestId?: string;
  sessionId?: string;
  clientVersion?: string;
  appVersion?: string;
  platform?: string;
}

/** Metadata is a flat JSON object validated against the activity type's schema. */
export type ActivityMetadata = Record<string, unknown>;

export interface ActivityData {
  actor: Actor;
  entity?: EntityRef;
  metadata: ActivityMetadata;
  context?: ActivityContext;
}

/** A Chronicle activity event: a CloudEvents 1.0 event whose `data` is an ActivityData. */
export interface ActivityEvent {
  specversion: '1.0';
  /**
   * An RFC 9562 UUID (versions 1 to 8) made by the producer; the idempotency key everywhere downstream.
   * Chronicle's SDK makes UUIDv7s, which sort by time.
   */
  id: string;
  /** URI-reference of the producing service, e.g. `/services/app-catalog`. */
  source: string;
  /** An activity type of the catalog, e.g. `app.viewed`. */
  type: string;
  /** When it happened, RFC 3339. Producers emit UTC with milliseconds: `2026-11-22T01:53:46.123Z`. */
  time: string;
  /** `<entityType>/<entityId>`; when present it must name data.entity. */
  subject?: string;
  datacontenttype: 'application/json';
  data: ActivityData;
}

/** What an SDK caller passes to `log()`; the SDK adds id, time (if absent) and source. */
export interface ActivityInput {
  type: string;
  actor: Actor;
  entity?: EntityRef;
  metadata?: ActivityMetadata;
  context?: ActivityContext;
  /** When it happened, if not now: a Date or an RFC 3339 string. */
  time?: Date | string;
  /** Defaults to `<entity.type>/<entity.id>` when an entity is given. */
  subject?: string;
}

/** Every attribute a Chronicle event may have; anything else is rejected, so nothing is silently lost. */
export const EVENT_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'subject',
  'datacontenttype',
  'data',
] as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const DATA_CONTENT_TYPE = 'application/json';
