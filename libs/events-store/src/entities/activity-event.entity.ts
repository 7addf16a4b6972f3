import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One stored activity: the raw, identified record that timelines, admin search and exports read. The
 * table is range-partitioned by `occurred_at` into daily partitions, which TypeORM cannot declare, so
 * the schema lives in the migrations and this entity only maps the columns.
 */
@Entity({ name: 'activity_events', synchronize: false })
export class ActivityEventEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @PrimaryColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: string;

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'activity_type', type: 'text' })
  activityType!: string;

  @Column({ name: 'entity_type', type: 'text', nullable: true })
  entityType!: string | null;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId!: string | null;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  context!: Record<string, string> | null;
}
