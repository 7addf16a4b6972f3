import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ErasureStatus = 'pending' | 'completed';

/**
 * A user's erasure request as this store handled it. It outlives the deleted rows on purpose: it is
 * how an event of that user timed before the request, arriving late, is recognised and dropped. It is
 * pruned with the partitions, once no such event could be kept anyway.
 */
@Entity({ name: 'activity_erasures', synchronize: false })
export class ActivityErasureEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ name: 'user_id', type: 'text' })
  userId!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'text' })
  status!: ErasureStatus;

  @Column({ name: 'rows_deleted', type: 'bigint', nullable: true })
  rowsDeleted!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
