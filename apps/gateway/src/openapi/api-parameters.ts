import { applyDecorators } from '@nestjs/common';
import { ApiQuery, type SchemaObject } from '@nestjs/swagger';

/*
 * The routes parse their own query parameters (http/query-params.ts), so each one is declared here
 * with the bounds the parser enforces: the document is the list the hostile-input test fuzzes.
 */

/** An optional query parameter. */
export const ApiQueryParameter = (
  name: string,
  description: string,
  schema: SchemaObject = { type: 'string' },
) => ApiQuery({ name, required: false, description, schema });

/** An optional integer from `minimum` to `maximum`, `fallback` when absent (integerParam). */
export const ApiIntegerQuery = (
  name: string,
  description: string,
  bounds: { fallback: number; min: number; max: number },
) =>
  ApiQueryParameter(name, description, {
    type: 'integer',
    minimum: bounds.min,
    maximum: bounds.max,
    default: bounds.fallback,
  });

/** The filters of the admin search, its export and its live stream (activity-filter.parser.ts). */
export const ApiActivityFilterQuery = () =>
  applyDecorators(
    ApiQueryParameter('userId', "Only this actor's activities.", { type: 'string', example: 'u_123' }),
    ApiQueryParameter('type', 'Types and prefixes, comma-separated or repeated: `app.viewed,download.*`.', {
      type: 'string',
      example: 'app.viewed,download.*',
    }),
    ApiQueryParameter('entityType', 'Only activities about entities of this type (`app`).', {
      type: 'string',
      example: 'app',
    }),
    ApiQueryParameter('entityId', 'Only activities about this entity id.', {
      type: 'string',
      example: 'app_42',
    }),
    ApiQueryParameter('source', 'Only activities from this source (`/services/app-store`).', {
      type: 'string',
      example: '/services/app-store',
    }),
    ApiQueryParameter('from', 'Inclusive lower bound: RFC 3339 time or `YYYY-MM-DD` (UTC midnight).', {
      type: 'string',
      example: '2026-11-01',
    }),
    ApiQueryParameter('to', 'Exclusive upper bound: RFC 3339 time or `YYYY-MM-DD`.', {
      type: 'string',
      example: '2026-12-01T00:00:00Z',
    }),
  );

/** The range of every analytics route (analytics-range.ts). */
export const ApiAnalyticsRangeQuery = () =>
  applyDecorators(
    ApiQueryParameter('from', 'First day in `tz`, `YYYY-MM-DD` (default: 29 days before `to`).', {
      type: 'string',
      format: 'date',
      example: '2026-11-01',
    }),
    ApiQueryParameter('to', 'Last day in `tz`, included (default: today there).', {
      type: 'string',
      format: 'date',
      example: '2026-11-30',
    }),
    ApiQueryParameter('type', 'Types and prefixes counted, comma-separated or repeated (default: all).', {
      type: 'string',
      example: 'app.viewed,download.*',
    }),
    ApiQueryParameter(
      'tz',
      'IANA time zone whose midnights begin the days and weeks (default: ANALYTICS_TIME_ZONE, UTC unless set).',
      { type: 'string', example: 'Europe/Berlin' },
    ),
  );

/** The keyset cursor of the paged routes (activity-cursor.ts). */
export const ApiCursorQuery = () => ApiQueryParameter('cursor', 'The `nextCursor` of the previous page.');
