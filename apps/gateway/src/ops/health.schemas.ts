import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveReport {
  @ApiProperty({ type: 'boolean', enum: [true], example: true })
  ok!: true;
}

export class HealthReport {
  @ApiProperty({ type: 'boolean', example: true })
  ok!: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { ok: { type: 'boolean' }, error: { type: 'string' } },
    },
    description: 'Each dependency checked, and why one is not ok.',
    example: {
      postgres: { ok: true },
      clickhouse: { ok: true },
      kafka: { ok: true },
      liveFeed: { ok: true },
    },
  })
  details?: object;
}
