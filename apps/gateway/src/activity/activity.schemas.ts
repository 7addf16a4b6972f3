import { ApiProperty } from '@nestjs/swagger';

/*
 * The activity shapes of the REST responses. The controllers return these types, so the compiler
 * keeps the document and the replies in step.
 */

const EXAMPLE_ID = '0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70';

export class ActivityActor {
  @ApiProperty({ type: 'string', example: 'user' })
  type!: string;

  @ApiProperty({ type: 'string', example: 'u_123' })
  id!: string;
}

export class ActivityEntity {
  @ApiProperty({ type: 'string', example: 'app' })
  type!: string;

  @ApiProperty({ type: 'string', example: 'app_42' })
  id!: string;
}

export class Activity {
  @ApiProperty({ type: 'string', format: 'uuid', example: EXAMPLE_ID })
  id!: string;

  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-22T01:53:46.123Z' })
  occurredAt!: string;

  @ApiProperty({ type: 'string', format: 'date-time', example: '2026-11-22T01:53:46.456Z' })
  receivedAt!: string;

  @ApiProperty({ type: () => ActivityActor })
  actor!: ActivityActor;

  @ApiProperty({ type: 'string', example: 'download.started' })
  type!: string;

  @ApiProperty({
    type: () => ActivityEntity,
    nullable: true,
    description: 'null for an activity about no entity.',
  })
  entity!: ActivityEntity | null;

  @ApiProperty({ type: 'string', example: '/services/app-store' })
  source!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The type's metadata (docs/event-types.md).",
    example: { version: '3.4.1' },
  })
  metadata!: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: null })
  context!: Record<string, unknown> | null;
}

export class TimelineActivity extends Activity {
  @ApiProperty({
    type: 'string',
    description:
      "What happened, in a short English sentence from the type's catalog template (`Started downloading app_42 (3.4.1)`).",
    example: 'Started downloading app_42 (3.4.1)',
  })
  sentence!: string;
}

export class TimelineDay {
  @ApiProperty({ type: 'string', format: 'date', description: 'The local date in `tz`, `YYYY-MM-DD`.' })
  date!: string;

  @ApiProperty({ type: () => [TimelineActivity] })
  activities!: TimelineActivity[];
}

const NEXT_CURSOR = {
  type: 'string',
  nullable: true,
  description: 'Pass it as `cursor` for the next page; null on the last one.',
  example: null,
} as const;

export class TimelinePage {
  @ApiProperty({ type: 'string', example: 'Europe/Paris' })
  timeZone!: string;

  @ApiProperty({ type: 'integer', example: 30 })
  days!: number;

  @ApiProperty({ type: () => [TimelineDay] })
  groups!: TimelineDay[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}

export class ActivityPage {
  @ApiProperty({ type: () => [Activity] })
  items!: Activity[];

  @ApiProperty(NEXT_CURSOR)
  nextCursor!: string | null;
}
