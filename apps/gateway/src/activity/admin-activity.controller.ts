import { getDefaultActivityCatalog } from '@chronicle/contracts';
import { ACTIVITY_CSV_COLUMNS, ActivityQueries, EXPORT_FORMATS } from '@chronicle/events-store';
import { TrackActivity } from '@chronicle/sdk/nest';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AdminOnly, CurrentUser, type AuthenticatedRequest } from '../auth/access.decorators';
import type { Principal } from '../auth/token-verifier';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LIMITS } from '../gateway.tokens';
import { callerKey } from '../http/rate-limit';
import type { GatewayLimits } from '../limits/gateway-limits';
import { integerParam, textParam, type Query as QueryParams } from '../http/query-params';
import { decodeCursor, encodeCursor } from './activity-cursor';
import { parseActivityFilter, usedFilters } from './activity-filter.parser';
import { ActivityExporter } from './activity-exporter';
import { LiveFeed } from '../live/live-feed';
import { streamServerSentEvents } from '../live/server-sent-events';
import {
  ApiActivityFilterQuery,
  ApiCursorQuery,
  ApiIntegerQuery,
  ApiQueryParameter,
} from '../openapi/api-parameters';
import { ADMIN_ROUTE_PROBLEMS, ApiProblems } from '../openapi/api-problems';
import { ActivityPage } from './activity.schemas';

const SEARCH_LIMIT = { fallback: 100, min: 1, max: 1_000 };

/** Everyone's activity, for administrators: search, export and the live feed, each one audited. */
@AdminOnly()
@ApiTags('admin')
@ApiBearerAuth('bearer')
@ApiProblems(ADMIN_ROUTE_PROBLEMS)
@ApiActivityFilterQuery()
@Controller('api/admin/activities')
export class AdminActivityController {
  private readonly catalog = getDefaultActivityCatalog();

  constructor(
    @Inject(ActivityQueries) private readonly activities: ActivityQueries,
    @Inject(ActivityExporter) private readonly exporter: ActivityExporter,
    @Inject(LiveFeed) private readonly liveFeed: LiveFeed,
    @Inject(GATEWAY_LIMITS) private readonly limits: GatewayLimits,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Filters combine (AND); `type` takes types and prefixes; pages are keyset-based, newest first. */
  @Get()
  @ApiOperation({
    summary: "Search everyone's activity; filters combine; keyset pages on (occurred_at, id).",
  })
  @ApiIntegerQuery('limit', 'Rows per page (default 100, at most 1000).', SEARCH_LIMIT)
  @ApiCursorQuery()
  @ApiOkResponse({ type: ActivityPage })
  @TrackActivity<Request, ActivityPage>('admin.activities_viewed', {
    metadata: (request, page) => ({
      filters: usedFilters(request.query),
      channel: 'search',
      results: page.items.length,
    }),
  })
  async search(@Query() query: QueryParams): Promise<ActivityPage> {
    const filter = parseActivityFilter(query, this.catalog);
    const limit = integerParam(query, 'limit', SEARCH_LIMIT);
    const after = decodeCursor(textParam(query, 'cursor'));
    const page = await this.activities.page(filter, { limit, ...(after ? { after } : {}) });
    return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  /** The whole filtered set as a CSV or NDJSON download, streamed (constant memory, however many rows). */
  @Get('export')
  @ApiOperation({
    summary: 'Download every matching activity as CSV (RFC 4180, injection-safe) or NDJSON, streamed.',
  })
  @ApiQueryParameter('format', '`csv` (default) or `ndjson`.', { type: 'string', enum: [...EXPORT_FORMATS] })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({
    description: 'The file, as an attachment.',
    content: {
      'text/csv': {
        schema: { type: 'string' },
        example: `${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`,
      },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  })
  async export(
    @Query() query: QueryParams,
    @Req() request: Request & AuthenticatedRequest,
    @Res() response: Response,
  ): Promise<void> {
    await this.exporter.export(query, request, response);
  }

  /** Server-Sent Events: each new activity matching the filters, as it is published. */
  @Get('stream')
  @ApiOperation({ summary: 'Server-Sent Events (`event: activity`) of new activities matching the filters.' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An event stream; each `data:` is an Activity as JSON.',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'event: activity\nid: 0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70\ndata: {"id":"0193a5e2-…"}\n\n',
      },
    },
  })
  @TrackActivity<Request>('admin.activities_viewed', {
    metadata: (request) => ({ filters: usedFilters(request.query), channel: 'stream', results: 0 }),
  })
  stream(
    @Query() query: QueryParams,
    @CurrentUser() user: Principal,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const filter = parseActivityFilter(query, this.catalog);
    const release = this.limits.liveStreams.acquire(callerKey(user));
    streamServerSentEvents(this.liveFeed, filter, request, response, {
      validUntil: user.validUntil,
      sendStallMs: this.config.sendStallMs,
      onEnd: release,
    });
  }
}
