import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { Public } from '../auth/access.decorators';
import { METRICS_REGISTRY, READINESS, type Readiness } from '../gateway.tokens';

/** Probes and metrics: public (no data in them), never rate-limited (Prometheus and the orchestrator call often). */
@Public()
@SkipThrottle()
@Controller()
export class HealthController {
  constructor(
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('health/live')
  live() {
    return { ok: true };
  }

  /** Postgres, ClickHouse and Kafka answer: traffic may be routed here. 503 otherwise. */
  @Get(['health/ready', 'health'])
  async ready(@Res({ passthrough: true }) response: Response) {
    const report = await this.readiness();
    response.status(report.ok ? 200 : 503);
    return report;
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res({ passthrough: true }) response: Response) {
    response.type(this.registry.contentType);
    return this.registry.metrics();
  }
}
