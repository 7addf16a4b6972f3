import { getDefaultActivityCatalog } from '@chronicle/contracts';
import {
  EXPORT_FORMATS,
  exportActivities,
  type ActivityFilter,
  type ExportFormat,
} from '@chronicle/events-store';
import { errorMessage, type Logger } from '@chronicle/observability';
import { ActivityClient, actorFromRequestUser } from '@chronicle/sdk/nest';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import type { GatewayConfig } from '../gateway.config';
import { GatewayMetrics } from '../gateway.metrics';
import type { GatewayLimits } from '../limits/gateway-limits';
import { EXPORT_DATA_SOURCE, GATEWAY_CONFIG, GATEWAY_LIMITS, LOGGER } from '../gateway.tokens';
import { choiceParam, type Query } from '../http/query-params';
import { callerKey } from '../http/rate-limit';
import { watchSendStall } from '../limits/send-stall';
import { parseActivityFilter, usedFilters } from './activity-filter.parser';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/**
 * The admin export: Postgres's COPY output piped to the response, so the response's backpressure
 * paces the database and memory stays flat whatever the row count. The export is audited when it
 * ends, with the rows actually sent and whether the client took them all.
 *
 * A download holds a connection for as long as its client takes, so exports never touch the request
 * pool: they run on a pool of their own, as many at once as the limits allow (429 past them), each
 * under a statement timeout, and a client that stops reading is cut off, which ends its query.
 */
@Injectable()
export class ActivityExporter {
  private readonly catalog = getDefaultActivityCatalog();

  constructor(
    @Inject(EXPORT_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(GATEWAY_LIMITS) private readonly limits: GatewayLimits,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(ActivityClient) private readonly audit: ActivityClient,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async export(query: Query, request: Request & AuthenticatedRequest, response: Response): Promise<void> {
    const filter = parseActivityFilter(query, this.catalog);
    const format = choiceParam(query, 'format', EXPORT_FORMATS);
    // The guard authenticated the admin; a missing user is a wiring mistake, counted as one caller.
    const release = this.limits.exports.acquire(request.user ? callerKey(request.user) : 'unknown');
    try {
      await this.send(filter, format, request, response);
    } finally {
      release();
    }
  }

  private async send(
    filter: ActivityFilter,
    format: ExportFormat,
    request: Request,
    response: Response,
  ): Promise<void> {
    const stream = await exportActivities(this.dataSource, filter, format);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    response.status(200);
    response.setHeader('Content-Type', CONTENT_TYPES[format]);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="chronicle-activities-${stamp}.${format}"`,
    );
    response.setHeader('Cache-Control', 'no-store');
    let completed = true;
    const stopWatching = watchSendStall(response, this.config.sendStallMs, () =>
      response.destroy(new Error(`the client read nothing for ${this.config.sendStallMs} ms`)),
    );
    try {
      await pipeline(stream, response);
    } catch (error) {
      completed = false;
      // Headers are gone already: all that is left is to cut the download short, which the client sees.
      this.logger.warn('export ended early', { format, rows: stream.rowsSent, error: errorMessage(error) });
      response.destroy();
    } finally {
      stopWatching();
    }
    this.metrics.exportedRows.inc({ format }, stream.rowsSent);
    const actor = actorFromRequestUser(request);
    if (actor)
      this.audit.log({
        type: 'admin.activities_exported',
        actor,
        metadata: { filters: usedFilters(request.query), format, rows: stream.rowsSent, completed },
      });
  }
}
