/*
 * The OpenAPI 3.1 description of the REST API, served at /api/docs (and as JSON at
 * /api/docs/openapi.json). Written by hand rather than derived from decorators: the routes parse their
 * own parameters, and a spec test checks that every route the app registers is described here.
 */

const text = { type: 'string' } as const;
const query = (name: string, description: string, schema: object = text) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const filterParameters = [
  query('userId', "Only this actor's activities."),
  query('type', 'Types and prefixes, comma-separated or repeated: `app.viewed,download.*`.'),
  query('entityType', 'Only activities about entities of this type (`app`).'),
  query('entityId', 'Only activities about this entity id.'),
  query('source', 'Only activities from this source (`/services/app-store`).'),
  query('from', 'Inclusive lower bound: RFC 3339 time or `YYYY-MM-DD` (UTC midnight).'),
  query('to', 'Exclusive upper bound: RFC 3339 time or `YYYY-MM-DD`.'),
];
const rangeParameters = [
  query('from', 'First UTC day, `YYYY-MM-DD` (default: 29 days before `to`).'),
  query('to', 'Last UTC day, included (default: today).'),
  query('type', 'Types and prefixes counted (default: all).'),
];
const cursor = query('cursor', 'The `nextCursor` of the previous page.');

const problem = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const errors = {
  '400': problem('A parameter is invalid; `field` names it.'),
  '401': problem('The bearer token is missing, malformed, expired or wrongly signed.'),
  '429': problem('Too many requests for this token; retry after the `Retry-After` seconds.'),
};
const adminErrors = { ...errors, '403': problem('The token has no admin role.') };
const json = (schema: object, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const series = (item: string) =>
  json({ type: 'object', properties: { series: { type: 'array', items: ref(item) } } });

const analyticsRoute = (summary: string, body: object, extra: object[] = []) => ({
  get: {
    tags: ['analytics'],
    summary,
    security: [{ bearer: [] }],
    parameters: [...rangeParameters, ...extra],
    responses: { '200': body, ...adminErrors },
  },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Chronicle gateway',
    version: '1.0.0',
    description:
      'User activity: timelines, admin search and export, live feed, analytics, erasure, and an HTTP collector. ' +
      'Bearer JWT: `sub` is the user, the `admin` role opens the admin routes. GraphQL is at /graphql.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    },
    schemas: {
      Problem: {
        type: 'object',
        properties: {
          statusCode: { type: 'integer' },
          error: text,
          message: text,
          field: { ...text, description: 'The parameter at fault (400 only).' },
        },
      },
      Activity: {
        type: 'object',
        properties: {
          id: { ...text, format: 'uuid' },
          occurredAt: { ...text, format: 'date-time' },
          receivedAt: { ...text, format: 'date-time' },
          actor: { type: 'object', properties: { type: text, id: text } },
          type: text,
          entity: { type: ['object', 'null'], properties: { type: text, id: text } },
          source: text,
          metadata: { type: 'object' },
          context: { type: ['object', 'null'] },
        },
      },
      TimelineActivity: {
        allOf: [
          ref('Activity'),
          {
            type: 'object',
            required: ['sentence'],
            properties: {
              sentence: {
                ...text,
                description:
                  "What happened, in a short English sentence from the type's catalog template (`Started downloading app_42 (3.4.1)`).",
              },
            },
          },
        ],
      },
      ActivityPage: {
        type: 'object',
        properties: {
          items: { type: 'array', items: ref('Activity') },
          nextCursor: { type: ['string', 'null'] },
        },
      },
      DailyUsers: { type: 'object', properties: { day: text, users: { type: 'integer' } } },
      StickinessPoint: {
        type: 'object',
        properties: {
          day: text,
          dau: { type: 'integer' },
          mau: { type: 'integer' },
          ratio: { type: ['number', 'null'] },
        },
      },
    },
  },
  paths: {
    '/api/users/me/activity': {
      get: {
        tags: ['my activity'],
        summary:
          "The caller's activity, newest first, grouped by local date, each with a sentence saying what happened.",
        security: [{ bearer: [] }],
        parameters: [
          query('days', 'How many days back (default 30, at most 90).', {
            type: 'integer',
            minimum: 1,
            maximum: 90,
          }),
          query('limit', 'Activities per page (default 50, at most 200).', {
            type: 'integer',
            minimum: 1,
            maximum: 200,
          }),
          query('tz', 'IANA time zone of the grouping (default UTC).'),
          cursor,
        ],
        responses: {
          '200': json({
            type: 'object',
            properties: {
              timeZone: text,
              days: { type: 'integer' },
              groups: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    date: { ...text, description: 'The local date in `tz`, `YYYY-MM-DD`.' },
                    activities: { type: 'array', items: ref('TimelineActivity') },
                  },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          }),
          ...errors,
        },
      },
      delete: {
        tags: ['my activity'],
        summary: "Erase the caller's activity history (both stores).",
        security: [{ bearer: [] }],
        responses: {
          '202': json(
            { type: 'object', properties: { requestId: text, status: text, statusUrl: text } },
            'Accepted: the workers carry it out.',
          ),
          ...errors,
        },
      },
    },
    '/api/users/me/activity/erasures/{id}': {
      get: {
        tags: ['my activity'],
        summary: "An erasure's progress: pending until both stores have completed it.",
        security: [{ bearer: [] }],
        parameters: [{ name: 'id', in: 'path', required: true, schema: text }],
        responses: {
          '200': json({
            type: 'object',
            properties: {
              requestId: text,
              status: { enum: ['pending', 'completed'] },
              stores: { type: 'object' },
            },
          }),
          '404': problem("No such request of the caller's."),
          ...errors,
        },
      },
    },
    '/api/admin/activities': {
      get: {
        tags: ['admin'],
        summary: "Search everyone's activity; filters combine; keyset pages on (occurred_at, id).",
        security: [{ bearer: [] }],
        parameters: [
          ...filterParameters,
          query('limit', 'Rows per page (default 100, at most 1000).', {
            type: 'integer',
            minimum: 1,
            maximum: 1000,
          }),
          cursor,
        ],
        responses: { '200': json(ref('ActivityPage')), ...adminErrors },
      },
    },
    '/api/admin/activities/export': {
      get: {
        tags: ['admin'],
        summary: 'Download every matching activity as CSV (RFC 4180, injection-safe) or NDJSON, streamed.',
        security: [{ bearer: [] }],
        parameters: [
          ...filterParameters,
          query('format', '`csv` (default) or `ndjson`.', { enum: ['csv', 'ndjson'] }),
        ],
        responses: {
          '200': {
            description: 'The file, as an attachment.',
            content: { 'text/csv': { schema: text }, 'application/x-ndjson': { schema: text } },
          },
          ...adminErrors,
        },
      },
    },
    '/api/admin/activities/stream': {
      get: {
        tags: ['admin'],
        summary: 'Server-Sent Events (`event: activity`) of new activities matching the filters.',
        security: [{ bearer: [] }],
        parameters: filterParameters,
        responses: {
          '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: text } } },
          ...adminErrors,
        },
      },
    },
    '/api/admin/analytics/dau': analyticsRoute('Daily active users per day.', series('DailyUsers')),
    '/api/admin/analytics/wau': analyticsRoute(
      'Users active in the 7 days ending on each day.',
      series('DailyUsers'),
    ),
    '/api/admin/analytics/mau': analyticsRoute(
      'Users active in the 30 days ending on each day.',
      series('DailyUsers'),
    ),
    '/api/admin/analytics/stickiness': analyticsRoute('DAU / MAU per day.', series('StickinessPoint')),
    '/api/admin/analytics/retention': analyticsRoute(
      'The cohort retention matrix.',
      json({ type: 'object' }),
      [
        query('granularity', '`day` (default) or `week` cohorts.', { enum: ['day', 'week'] }),
        query('periods', 'Periods per cohort, period 0 included (default 8).', { type: 'integer' }),
      ],
    ),
    '/api/admin/analytics/retention/rates': analyticsRoute(
      'Day-N retention (D1, D7, D30 by default).',
      json({ type: 'object' }),
      [query('days', 'The N of day-N retention, comma-separated.')],
    ),
    '/api/admin/analytics/top-entities': analyticsRoute(
      'The entities with the most events.',
      json({ type: 'object' }),
      [
        query('entityType', 'Entity type (default `app`).'),
        query('limit', 'How many (default 10).', { type: 'integer' }),
      ],
    ),
    '/api/admin/analytics/most-active-users': analyticsRoute(
      'The users with the most events.',
      json({ type: 'object' }),
      [query('limit', 'How many (default 10).', { type: 'integer' })],
    ),
    '/api/admin/analytics/activity-mix': analyticsRoute('Events per type per day.', json({ type: 'object' })),
    '/v1/events': {
      post: {
        tags: ['collector'],
        summary: 'Publish up to 1,000 CloudEvents; 200 once Kafka has acknowledged the valid ones.',
        security: [{ apiKey: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { events: { type: 'array', maxItems: 1000, items: { type: 'object' } } },
              },
            },
          },
        },
        responses: {
          '200': json({
            type: 'object',
            properties: {
              accepted: { type: 'integer' },
              rejected: { type: 'integer' },
              results: { type: 'array', items: { type: 'object' } },
            },
          }),
          '400': problem('The body is not `{ events: [...] }` of 1 to 1,000 events.'),
          '401': problem('The API key is missing or unknown.'),
          '413': problem('The body is larger than the limit.'),
          '503': problem('Kafka did not acknowledge; retry the batch (ids make it idempotent).'),
        },
      },
    },
    '/api/dev/token': {
      get: {
        tags: ['local dev'],
        summary: 'Whether the local dev sign-in is on: `{ enabled: true }`, else 404.',
        description:
          'Local only: the route exists when the gateway runs with `GATEWAY_DEV_SIGN_IN=true` (npm start).',
        responses: {
          '200': json({ type: 'object', properties: { enabled: { const: true } } }),
          '404': problem('The dev sign-in is off (the default).'),
        },
      },
      post: {
        tags: ['local dev'],
        summary: 'Mint a 1-hour token for any user id, signed with JWT_HS256_SECRET.',
        description:
          'Local only, and unauthenticated by design: it exists when the gateway runs with ' +
          '`GATEWAY_DEV_SIGN_IN=true` (npm start turns it on with the HS256 secret it makes). ' +
          'Never turn it on where anyone but the developer can reach the gateway.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['userId'],
                properties: {
                  userId: { ...text, minLength: 1, maxLength: 128, pattern: '^\\S+$' },
                  admin: { type: 'boolean', default: false },
                },
              },
            },
          },
        },
        responses: {
          '200': json({ type: 'object', properties: { token: text } }),
          '400': problem('`userId` or `admin` is invalid; `field` names it.'),
          '404': problem('The dev sign-in is off (the default).'),
          '429': problem('Too many requests from this address; retry after the `Retry-After` seconds.'),
        },
      },
    },
    '/health/live': {
      get: {
        tags: ['operations'],
        summary: 'The process serves HTTP.',
        responses: { '200': { description: 'Live.' } },
      },
    },
    '/health/ready': {
      get: {
        tags: ['operations'],
        summary: 'Postgres, ClickHouse and Kafka answer and the live feed reads.',
        responses: {
          '200': { description: 'Ready.' },
          '503': { description: 'Not ready; the body says what is not.' },
        },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics.',
        responses: { '200': { description: 'Text format.' } },
      },
    },
  },
} as const;
