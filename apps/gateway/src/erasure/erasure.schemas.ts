import { ApiProperty } from '@nestjs/swagger';

const REQUEST_ID = {
  type: 'string',
  format: 'uuid',
  description: 'A UUIDv7, made by the gateway.',
  example: '0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70',
} as const;
const PROGRESS = { type: 'string', enum: ['pending', 'completed'] } as const;

export type ErasureProgress = 'pending' | 'completed';

export class ErasureAccepted {
  @ApiProperty(REQUEST_ID)
  requestId!: string;

  @ApiProperty({ type: 'string', enum: ['pending'], example: 'pending' })
  status!: 'pending';

  @ApiProperty({
    type: 'string',
    description: 'Where to follow it.',
    example: '/api/users/me/activity/erasures/0193a5e2-7c4b-7d1e-9a3f-2b8c4d5e6f70',
  })
  statusUrl!: string;
}

export class StoreErasure {
  @ApiProperty({ ...PROGRESS, example: 'completed' })
  status!: ErasureProgress;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'null until the store has done it.',
    example: 20,
  })
  rowsDeleted!: number | null;
}

export class ErasureStores {
  @ApiProperty({ type: () => StoreErasure })
  postgres!: StoreErasure;

  @ApiProperty({ type: () => StoreErasure })
  clickhouse!: StoreErasure;
}

export class ErasureStatus {
  @ApiProperty(REQUEST_ID)
  requestId!: string;

  @ApiProperty({
    ...PROGRESS,
    description: '`completed` once both stores have carried it out.',
    example: 'pending',
  })
  status!: ErasureProgress;

  @ApiProperty({ type: () => ErasureStores })
  stores!: ErasureStores;
}
