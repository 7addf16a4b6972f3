import { ApiProperty } from '@nestjs/swagger';

export const MAX_COLLECTED_EVENTS = 1_000;

const EXAMPLE_EVENT = {
  specversion: '1.0',
  id: '0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70',
  source: '/services/app-store',
  type: 'app.viewed',
  time: '2026-11-22T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { actor: { type: 'user', id: 'u_123' }, entity: { type: 'app', id: 'app_42' }, metadata: {} },
};

export class CollectRequest {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    minItems: 1,
    maxItems: MAX_COLLECTED_EVENTS,
    description: 'CloudEvents 1.0 in structured JSON (docs/event-types.md); each is validated on its own.',
    example: [EXAMPLE_EVENT],
  })
  events!: unknown[];
}

export class ValidationProblem {
  @ApiProperty({ type: 'string', description: 'The field at fault.', example: 'data.entity.id' })
  path!: string;

  @ApiProperty({ type: 'string', example: 'is required' })
  message!: string;
}

export class CollectedEventResult {
  @ApiProperty({ type: 'integer', description: 'The position of the event in `events`.', example: 0 })
  index!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The event id, canonical when accepted; null when the event had none.',
    example: EXAMPLE_EVENT.id,
  })
  id!: string | null;

  @ApiProperty({ type: 'string', enum: ['accepted', 'rejected'], example: 'accepted' })
  status!: 'accepted' | 'rejected';

  @ApiProperty({ type: () => [ValidationProblem], required: false, description: 'Why it was rejected.' })
  problems?: ValidationProblem[];
}

export class CollectReply {
  @ApiProperty({ type: 'integer', description: 'Events Kafka acknowledged.', example: 1 })
  accepted!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  rejected!: number;

  @ApiProperty({ type: () => [CollectedEventResult] })
  results!: CollectedEventResult[];
}
