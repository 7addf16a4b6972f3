// Generated from docs/openapi.json by `npm run docs:openapi`: do not edit.
export interface paths {
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process serves HTTP. */
    get: operations['HealthController_live'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Postgres, ClickHouse and Kafka answer and the live feed reads. */
    get: operations['HealthController_ready[0]'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Postgres, ClickHouse and Kafka answer and the live feed reads. */
    get: operations['HealthController_ready[1]'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics. */
    get: operations['HealthController_metrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/me/activity': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The caller's activity, newest first, grouped by local date, each with a sentence saying what happened. */
    get: operations['MyActivityController_timeline'];
    put?: never;
    post?: never;
    /** Erase the caller's activity history (both stores). */
    delete: operations['ErasureController_erase'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/users/me/activity/erasures/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An erasure's progress: pending until both stores have completed it. */
    get: operations['ErasureController_status'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/activities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Search everyone's activity; filters combine; keyset pages on (occurred_at, id). */
    get: operations['AdminActivityController_search'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/activities/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Download every matching activity as CSV (RFC 4180, injection-safe) or NDJSON, streamed. */
    get: operations['AdminActivityController_export'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/activities/stream': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Server-Sent Events (`event: activity`) of new activities matching the filters. */
    get: operations['AdminActivityController_stream'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/dau': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Daily active users per day. */
    get: operations['AnalyticsController_dau'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/wau': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users active in the 7 days ending on each day. */
    get: operations['AnalyticsController_wau'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/mau': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users active in the 30 days ending on each day. */
    get: operations['AnalyticsController_mau'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/stickiness': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** DAU / MAU per day. */
    get: operations['AnalyticsController_stickiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/retention': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The cohort retention matrix. */
    get: operations['AnalyticsController_retention'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/retention/rates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Day-N retention (D1, D7, D30 by default). */
    get: operations['AnalyticsController_retentionRates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/top-entities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The entities with the most events, or the most distinct users. */
    get: operations['AnalyticsController_topEntities'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/most-active-users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The users with the most events. */
    get: operations['AnalyticsController_mostActiveUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/analytics/activity-mix': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Events per type per day. */
    get: operations['AnalyticsController_activityMix'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish up to 1,000 CloudEvents; 200 once Kafka has acknowledged the valid ones.
     * @description Each event is validated on its own; an event whose `source` is not the API key's is rejected. A 503 means none was acknowledged: retrying the whole batch is safe, the ids make a repeat a no-op.
     */
    post: operations['EventsCollectorController_collect'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/dev/token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Whether the local dev sign-in is on: `{ enabled: true }`, else 404.
     * @description Local only: the route exists when the gateway runs with `GATEWAY_DEV_SIGN_IN=true` (npm start).
     */
    get: operations['DevTokenController_status'];
    put?: never;
    /**
     * Mint a 1-hour token for any user id, signed with JWT_HS256_SECRET.
     * @description Local only, and unauthenticated by design: it exists when the gateway runs with `GATEWAY_DEV_SIGN_IN=true` (npm start turns it on with the HS256 secret it makes), and answers only callers on the same machine. Never turn it on where anyone but the developer can reach the gateway.
     */
    post: operations['DevTokenController_mint'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    LiveReport: {
      /**
       * @example true
       * @enum {boolean}
       */
      ok: true;
    };
    HealthReport: {
      /** @example true */
      ok: boolean;
      /**
       * @description Each dependency checked, and why one is not ok.
       * @example {
       *       "postgres": {
       *         "ok": true
       *       },
       *       "clickhouse": {
       *         "ok": true
       *       },
       *       "kafka": {
       *         "ok": true
       *       },
       *       "liveFeed": {
       *         "ok": true
       *       }
       *     }
       */
      details?: {
        [key: string]: {
          ok?: boolean;
          error?: string;
        };
      };
    };
    ActivityActor: {
      /** @example user */
      type: string;
      /** @example u_123 */
      id: string;
    };
    ActivityEntity: {
      /** @example app */
      type: string;
      /** @example app_42 */
      id: string;
    };
    TimelineActivity: {
      /**
       * Format: uuid
       * @example 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      id: string;
      /**
       * Format: date-time
       * @example 2026-11-22T01:53:46.123Z
       */
      occurredAt: string;
      /**
       * Format: date-time
       * @example 2026-11-22T01:53:46.456Z
       */
      receivedAt: string;
      actor: components['schemas']['ActivityActor'];
      /** @example download.started */
      type: string;
      /** @description null for an activity about no entity. */
      entity: components['schemas']['ActivityEntity'] | null;
      /** @example /services/app-store */
      source: string;
      /**
       * @description The type's metadata (docs/event-types.md).
       * @example {
       *       "version": "3.4.1"
       *     }
       */
      metadata: {
        [key: string]: unknown;
      };
      /** @example null */
      context: {
        [key: string]: unknown;
      } | null;
      /**
       * @description What happened, in a short English sentence from the type's catalog template (`Started downloading app_42 (3.4.1)`).
       * @example Started downloading app_42 (3.4.1)
       */
      sentence: string;
    };
    TimelineDay: {
      /**
       * Format: date
       * @description The local date in `tz`, `YYYY-MM-DD`.
       */
      date: string;
      activities: components['schemas']['TimelineActivity'][];
    };
    TimelinePage: {
      /** @example Europe/Paris */
      timeZone: string;
      /** @example 30 */
      days: number;
      groups: components['schemas']['TimelineDay'][];
      /**
       * @description Pass it as `cursor` for the next page; null on the last one.
       * @example null
       */
      nextCursor: string | null;
    };
    Problem: {
      /** @example 400 */
      statusCode: number;
      /** @example Bad Request */
      error: string;
      /** @example limit: must be an integer from 1 to 1000 */
      message: string;
      /**
       * @description The parameter or body field at fault (400 only).
       * @example limit
       */
      field?: string;
    };
    ErasureAccepted: {
      /**
       * Format: uuid
       * @description A UUIDv7, made by the gateway.
       * @example 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      requestId: string;
      /**
       * @example pending
       * @enum {string}
       */
      status: 'pending';
      /**
       * @description Where to follow it.
       * @example /api/users/me/activity/erasures/0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      statusUrl: string;
    };
    StoreErasure: {
      /**
       * @example completed
       * @enum {string}
       */
      status: 'pending' | 'completed';
      /**
       * @description null until the store has done it.
       * @example 20
       */
      rowsDeleted: number | null;
    };
    ErasureStores: {
      postgres: components['schemas']['StoreErasure'];
      clickhouse: components['schemas']['StoreErasure'];
    };
    ErasureStatus: {
      /**
       * Format: uuid
       * @description A UUIDv7, made by the gateway.
       * @example 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      requestId: string;
      /**
       * @description `completed` once both stores have carried it out.
       * @example pending
       * @enum {string}
       */
      status: 'pending' | 'completed';
      stores: components['schemas']['ErasureStores'];
    };
    Activity: {
      /**
       * Format: uuid
       * @example 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      id: string;
      /**
       * Format: date-time
       * @example 2026-11-22T01:53:46.123Z
       */
      occurredAt: string;
      /**
       * Format: date-time
       * @example 2026-11-22T01:53:46.456Z
       */
      receivedAt: string;
      actor: components['schemas']['ActivityActor'];
      /** @example download.started */
      type: string;
      /** @description null for an activity about no entity. */
      entity: components['schemas']['ActivityEntity'] | null;
      /** @example /services/app-store */
      source: string;
      /**
       * @description The type's metadata (docs/event-types.md).
       * @example {
       *       "version": "3.4.1"
       *     }
       */
      metadata: {
        [key: string]: unknown;
      };
      /** @example null */
      context: {
        [key: string]: unknown;
      } | null;
    };
    ActivityPage: {
      items: components['schemas']['Activity'][];
      /**
       * @description Pass it as `cursor` for the next page; null on the last one.
       * @example null
       */
      nextCursor: string | null;
    };
    DailyUsers: {
      /**
       * Format: date
       * @example 2026-11-22
       */
      day: string;
      /**
       * @description Distinct users active in the window ending on `day`.
       * @example 1342
       */
      users: number;
      /**
       * @description Whether the window ending on `day` is over.
       * @example true
       */
      complete: boolean;
    };
    DailyUsersSeries: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      series: components['schemas']['DailyUsers'][];
    };
    StickinessPoint: {
      /**
       * Format: date
       * @example 2026-11-22
       */
      day: string;
      /** @example 1342 */
      dau: number;
      /** @example 4810 */
      mau: number;
      /**
       * @description dau / mau; null when nobody was active in the 30 days.
       * @example 0.279
       */
      ratio: number | null;
      /**
       * @description Whether the period is over: its last day is on or before `to` and before today in `timeZone`.
       * @example true
       */
      complete: boolean;
    };
    StickinessSeries: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      series: components['schemas']['StickinessPoint'][];
    };
    CohortRow: {
      /**
       * Format: date
       * @description The first-seen day, or the Monday of the first-seen week.
       * @example 2026-11-22
       */
      cohort: string;
      /**
       * @description Users first seen in the cohort.
       * @example 120
       */
      users: number;
      /**
       * @description Per period k: users of the cohort retained in period k by the mode; null once period k begins after `to`.
       * @example [
       *       120,
       *       54,
       *       41,
       *       null
       *     ]
       */
      retained: (number | null)[];
      /**
       * @description retained[k] / users.
       * @example [
       *       1,
       *       0.45,
       *       0.342,
       *       null
       *     ]
       */
      rates: (number | null)[];
      /**
       * @description Per period k: whether retained[k] is final, the period being over for every member (a rolling period a day after the latest member’s window can end).
       * @example [
       *       true,
       *       true,
       *       false,
       *       false
       *     ]
       */
      complete: boolean[];
    };
    CohortRetention: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      /**
       * @description `calendar`: active on cohort day (week) + k; `rolling`: active in the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: active in period k or later (docs/analytics.md).
       * @enum {string}
       */
      mode: 'calendar' | 'rolling' | 'unbounded';
      /**
       * @description The types whose first event puts a user in a cohort; null for the first event of any type.
       * @example [
       *       "download.*"
       *     ]
       */
      cohortType: string[] | null;
      cohorts: components['schemas']['CohortRow'][];
    };
    RetentionRate: {
      /**
       * @description The N of day-N retention.
       * @example 7
       */
      day: number;
      /**
       * @description Cohorts old enough: their day N is on or before `to`.
       * @example 23
       */
      cohorts: number;
      /** @example 2760 */
      cohortUsers: number;
      /**
       * @description Users of those cohorts retained on their day N, by the mode.
       * @example 910
       */
      retainedUsers: number;
      /**
       * @description retainedUsers / cohortUsers; null when no cohort is old enough.
       * @example 0.33
       */
      rate: number | null;
      /**
       * @description Whether every counted cohort’s day N is over.
       * @example true
       */
      complete: boolean;
    };
    RetentionRates: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      /**
       * @description `calendar`: active on cohort day (week) + k; `rolling`: active in the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: active in period k or later (docs/analytics.md).
       * @enum {string}
       */
      mode: 'calendar' | 'rolling' | 'unbounded';
      /**
       * @description The types whose first event puts a user in a cohort; null for the first event of any type.
       * @example [
       *       "download.*"
       *     ]
       */
      cohortType: string[] | null;
      rates: components['schemas']['RetentionRate'][];
    };
    EntityCount: {
      /**
       * @description The entity id; for an entity that is a person, resolved from its pseudonym, null when it has none (erased, expired).
       * @example app_42
       */
      entityId: string | null;
      /** @description The pseudonym, for an entity that is a person. */
      entityKey?: string;
      /** @example 5120 */
      events: number;
      /**
       * @description Distinct users among the actors.
       * @example 830
       */
      users: number;
    };
    TopEntities: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      /**
       * @description Whether the range is over: `to` is before today in `timeZone`.
       * @example true
       */
      complete: boolean;
      entities: components['schemas']['EntityCount'][];
    };
    ActiveUser: {
      /**
       * @description The actor id, resolved from the pseudonym; null when it has none (erased, expired, not stored yet).
       * @example u_123
       */
      actorId: string | null;
      /**
       * @description The pseudonym ClickHouse holds: HMAC-SHA-256, hex.
       * @example 9f2c4e1a7b3d5f60a8c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5
       */
      actorKey: string;
      /** @example 412 */
      events: number;
      /**
       * @description Days in the range with at least one event.
       * @example 27
       */
      activeDays: number;
    };
    MostActiveUsers: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      /**
       * @description Whether the range is over: `to` is before today in `timeZone`.
       * @example true
       */
      complete: boolean;
      users: components['schemas']['ActiveUser'][];
    };
    ActivityMixRow: {
      /**
       * Format: date
       * @example 2026-11-22
       */
      day: string;
      /** @example app.viewed */
      activityType: string;
      /** @example 20480 */
      events: number;
      /**
       * @description Whether the period is over: its last day is on or before `to` and before today in `timeZone`.
       * @example true
       */
      complete: boolean;
    };
    ActivityMix: {
      /**
       * @description The IANA time zone whose calendar days the figures count in.
       * @example Europe/Berlin
       */
      timeZone: string;
      mix: components['schemas']['ActivityMixRow'][];
    };
    CollectRequest: {
      /**
       * @description CloudEvents 1.0 in structured JSON (docs/event-types.md); each is validated on its own.
       * @example [
       *       {
       *         "specversion": "1.0",
       *         "id": "0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70",
       *         "source": "/services/app-store",
       *         "type": "app.viewed",
       *         "time": "2026-11-22T10:00:00.000Z",
       *         "datacontenttype": "application/json",
       *         "data": {
       *           "actor": {
       *             "type": "user",
       *             "id": "u_123"
       *           },
       *           "entity": {
       *             "type": "app",
       *             "id": "app_42"
       *           },
       *           "metadata": {}
       *         }
       *       }
       *     ]
       */
      events: {
        [key: string]: unknown;
      }[];
    };
    ValidationProblem: {
      /**
       * @description The field at fault.
       * @example data.entity.id
       */
      path: string;
      /** @example is required */
      message: string;
    };
    CollectedEventResult: {
      /**
       * @description The position of the event in `events`.
       * @example 0
       */
      index: number;
      /**
       * @description The event id, canonical when accepted; null when the event had none.
       * @example 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
       */
      id: string | null;
      /**
       * @example accepted
       * @enum {string}
       */
      status: 'accepted' | 'rejected';
      /** @description Why it was rejected. */
      problems?: components['schemas']['ValidationProblem'][];
    };
    CollectReply: {
      /**
       * @description Events Kafka acknowledged.
       * @example 1
       */
      accepted: number;
      /** @example 0 */
      rejected: number;
      results: components['schemas']['CollectedEventResult'][];
    };
    DevSignInStatus: {
      /**
       * @example true
       * @enum {boolean}
       */
      enabled: true;
    };
    DevTokenRequest: {
      /** @example u_123 */
      userId: string;
      /**
       * @default false
       * @example false
       */
      admin: boolean;
    };
    DevToken: {
      /**
       * @description A bearer JWT valid for an hour.
       * @example eyJhbGciOiJIUzI1NiJ9.…
       */
      token: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_live: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Live. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LiveReport'];
        };
      };
    };
  };
  'HealthController_ready[0]': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HealthReport'];
        };
      };
      /** @description Not ready; `details` says what is not. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HealthReport'];
        };
      };
    };
  };
  'HealthController_ready[1]': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HealthReport'];
        };
      };
      /** @description Not ready; `details` says what is not. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HealthReport'];
        };
      };
    };
  };
  HealthController_metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The Prometheus text format. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /** @example chronicle_service_ready{service="gateway"} 1 */
          'text/plain': string;
        };
      };
    };
  };
  MyActivityController_timeline: {
    parameters: {
      query?: {
        /** @description The `nextCursor` of the previous page. */
        cursor?: string;
        /** @description IANA time zone of the grouping (default UTC). */
        tz?: string;
        /** @description Activities per page (default 50, at most 200). */
        limit?: number;
        /** @description How many days back (default 30, at most 90). */
        days?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TimelinePage'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  ErasureController_erase: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted: the workers carry it out. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErasureAccepted'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  ErasureController_status: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The `requestId` the DELETE returned. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErasureStatus'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description No such request of the caller's. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AdminActivityController_search: {
    parameters: {
      query?: {
        /** @description The `nextCursor` of the previous page. */
        cursor?: string;
        /** @description Rows per page (default 100, at most 1000). */
        limit?: number;
        /** @description Only this actor's activities. */
        userId?: string;
        /** @description Types and prefixes, comma-separated or repeated: `app.viewed,download.*`. */
        type?: string;
        /** @description Only activities about entities of this type (`app`). */
        entityType?: string;
        /** @description Only activities about this entity id. */
        entityId?: string;
        /** @description Only activities from this source (`/services/app-store`). */
        source?: string;
        /** @description Inclusive lower bound: RFC 3339 time or `YYYY-MM-DD` (UTC midnight). */
        from?: string;
        /** @description Exclusive upper bound: RFC 3339 time or `YYYY-MM-DD`. */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ActivityPage'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AdminActivityController_export: {
    parameters: {
      query?: {
        /** @description `csv` (default) or `ndjson`. */
        format?: 'csv' | 'ndjson';
        /** @description Only this actor's activities. */
        userId?: string;
        /** @description Types and prefixes, comma-separated or repeated: `app.viewed,download.*`. */
        type?: string;
        /** @description Only activities about entities of this type (`app`). */
        entityType?: string;
        /** @description Only activities about this entity id. */
        entityId?: string;
        /** @description Only activities from this source (`/services/app-store`). */
        source?: string;
        /** @description Inclusive lower bound: RFC 3339 time or `YYYY-MM-DD` (UTC midnight). */
        from?: string;
        /** @description Exclusive upper bound: RFC 3339 time or `YYYY-MM-DD`. */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file, as an attachment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /** @example id,occurred_at,received_at,actor_type,actor_id,activity_type,entity_type,entity_id,source,metadata,context */
          'text/csv': string;
          'application/x-ndjson': string;
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AdminActivityController_stream: {
    parameters: {
      query?: {
        /** @description Only this actor's activities. */
        userId?: string;
        /** @description Types and prefixes, comma-separated or repeated: `app.viewed,download.*`. */
        type?: string;
        /** @description Only activities about entities of this type (`app`). */
        entityType?: string;
        /** @description Only activities about this entity id. */
        entityId?: string;
        /** @description Only activities from this source (`/services/app-store`). */
        source?: string;
        /** @description Inclusive lower bound: RFC 3339 time or `YYYY-MM-DD` (UTC midnight). */
        from?: string;
        /** @description Exclusive upper bound: RFC 3339 time or `YYYY-MM-DD`. */
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description An event stream; each `data:` is an Activity as JSON. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example event: activity
           *     id: 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70
           *     data: {"id":"0193a5e2-…"}
           */
          'text/event-stream': string;
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_dau: {
    parameters: {
      query?: {
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DailyUsersSeries'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_wau: {
    parameters: {
      query?: {
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DailyUsersSeries'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_mau: {
    parameters: {
      query?: {
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DailyUsersSeries'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_stickiness: {
    parameters: {
      query?: {
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StickinessSeries'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_retention: {
    parameters: {
      query?: {
        /** @description `calendar` (default): active on cohort day (week) + k; `rolling`: within the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: in period k or later. */
        mode?: 'calendar' | 'rolling' | 'unbounded';
        /** @description Cohorts by the first event of these types and prefixes, comma-separated (default: the first event of any type). */
        cohortType?: string;
        /** @description Periods per cohort, period 0 included (default 8). */
        periods?: number;
        /** @description `day` (default) or `week` cohorts. */
        granularity?: 'day' | 'week';
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CohortRetention'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_retentionRates: {
    parameters: {
      query?: {
        /** @description `calendar` (default): active on cohort day (week) + k; `rolling`: within the k-th 24-hour (7 × 24-hour) window from the first event; `unbounded`: in period k or later. */
        mode?: 'calendar' | 'rolling' | 'unbounded';
        /** @description Cohorts by the first event of these types and prefixes, comma-separated (default: the first event of any type). */
        cohortType?: string;
        /** @description The N of day-N retention, comma-separated (default `1,7,30`). */
        days?: string;
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RetentionRates'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_topEntities: {
    parameters: {
      query?: {
        /** @description `events` (default) or `users`: what ranks them; ties by the other count, then id. */
        rank?: 'events' | 'users';
        /** @description How many (default 10). */
        limit?: number;
        /** @description Entity type (default `app`). */
        entityType?: string;
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TopEntities'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_mostActiveUsers: {
    parameters: {
      query?: {
        /** @description How many (default 10). */
        limit?: number;
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MostActiveUsers'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  AnalyticsController_activityMix: {
    parameters: {
      query?: {
        /** @description First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`). */
        from?: string;
        /** @description Last day in `tz`, included (default: today there). */
        to?: string;
        /** @description Types and prefixes counted, comma-separated or repeated (default: all). */
        type?: string;
        /** @description IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set). */
        tz?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ActivityMix'];
        };
      };
      /** @description A parameter is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The bearer token is missing, malformed, expired or wrongly signed. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The token has no admin role. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this token; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  EventsCollectorController_collect: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CollectRequest'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CollectReply'];
        };
      };
      /** @description The body is not `{ events: [...] }` of 1 to 1,000 events. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The API key is missing or unknown. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the limit. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests for this API key; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Kafka did not acknowledge; retry the batch (ids make it idempotent). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  DevTokenController_status: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DevSignInStatus'];
        };
      };
      /** @description The dev sign-in is off (the default). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
  DevTokenController_mint: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DevTokenRequest'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DevToken'];
        };
      };
      /** @description `userId` or `admin` is invalid; `field` names it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The caller is not on this machine. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description The dev sign-in is off (the default). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
      /** @description Too many requests from this address; retry after the `Retry-After` seconds. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Problem'];
        };
      };
    };
  };
}
