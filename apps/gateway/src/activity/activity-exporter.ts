import { getDefaultActivityCatalog } from '@chronicle/contracts';
import { exportActivities } from '@chronicle/events-store';
import { errorMessage, type Logger } from '@chronicle/observability';
import { ActivityClient, actorFromRequestUser } from '@chronicle/sdk/nest';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { GatewayMetrics } from '../gateway.metrics';
import { EVENTS_DATA_SOURCE, LOGGER } from '../gateway.tokens';
import { choiceParam, type Query } from '../http/query-params';
import { parseActivityFilter, usedFilters } from './activity-filter.parser';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const;

/**
 * The admin export: Postgres's COPY output piped to the response, so the response's backpressure
 * paces the database and memory stays flat whatever the row count. The export is audited when it
 * ends, with the rows actually sent and whether the client took them all.
 */
@Injectable()
export class ActivityExporter {
  private readonly catalog = getDefaultActivityCatalog();

  constructor(
    @Inject(EVENTS_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActivityClient) private readonly audit: ActivityClient,
    @Inject(GatewayMetrics) private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async export(query: Query, request: Request, response: Response): Promise<void> {
    const filter = parseActivityFilter(query, this.catalog);
    const format = choiceParam(query, 'format', ['csv', 'ndjson'] as const);
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
    try {
      await pipeline(stream, response);
    } catch (error) {
      completed = false;
      // Headers are gone already: all that is left is to cut the download short, which the client sees.
      this.logger.warn('export ended early', { format, rows: stream.rowsSent, error: errorMessage(error) });
      response.destroy();
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
