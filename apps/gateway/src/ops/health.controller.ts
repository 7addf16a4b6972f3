import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Public } from '../auth/access.decorators';
import { METRICS_REGISTRY, READINESS, type Readiness } from '../gateway.tokens';
import { HealthReport, LiveReport } from './health.schemas';

/** Probes and metrics: public (no data in them), never rate-limited (Prometheus and the orchestrator call often). */
@Public()
@SkipThrottle()
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('health/live')
  @ApiOperation({ summary: 'The process serves HTTP.' })
  @ApiOkResponse({ type: LiveReport, description: 'Live.' })
  live(): LiveReport {
    return { ok: true };
  }

  /** Postgres, ClickHouse and Kafka answer: traffic may be routed here. 503 otherwise. */
  @Get(['health/ready', 'health'])
  @ApiOperation({ summary: 'Postgres, ClickHouse and Kafka answer and the live feed reads.' })
  @ApiOkResponse({ type: HealthReport, description: 'Ready.' })
  @ApiServiceUnavailableResponse({
    type: HealthReport,
    description: 'Not ready; `details` says what is not.',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.readiness();
    response.status(report.ok ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The Prometheus text format.',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example: 'chronicle_service_ready{service="gateway"} 1\n',
      },
    },
  })
  async metrics(@Res({ passthrough: true }) response: Response) {
    response.type(this.registry.contentType);
    return this.registry.metrics();
  }
}
