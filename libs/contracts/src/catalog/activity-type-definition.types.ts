import type { ActivityEvent, ActorType } from '../activity-event.types';

/** The two groups of DESIGN.md's catalog; docs list types by them. */
export const ACTIVITY_CATEGORIES = ['user-activity', 'system-operations'] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/**
 * Retention is chosen from a few classes rather than any number of days, so that the stores can keep
 * one partitioning / TTL scheme per class.
 */
export const RETENTION_CLASSES_DAYS = [30, 90, 365] as const;
export type RetentionDays = (typeof RETENTION_CLASSES_DAYS)[number];
export const DEFAULT_RETENTION_DAYS: RetentionDays = 90;

/*
 * Metadata schemas are JSON Schema restricted to a flat object of scalars and arrays of scalars: the
 * analytics store keeps metadata keys as columns, and the docs can render every field's constraints.
 * Strings need a maxLength (or an enum) and arrays a maxItems, so that no event can carry a blob.
 */

interface FieldSchemaBase {
  /** One line for the docs: what the value says. */
  description: string;
}

export interface StringFieldSchema extends FieldSchemaBase {
  type: 'string';
  enum?: readonly string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface NumberFieldSchema extends FieldSchemaBase {
  type: 'integer' | 'number';
  minimum?: number;
  maximum?: number;
}

export interface BooleanFieldSchema extends FieldSchemaBase {
  type: 'boolean';
}

export type ScalarFieldSchema = StringFieldSchema | NumberFieldSchema | BooleanFieldSchema;

export interface ArrayFieldSchema extends FieldSchemaBase {
  type: 'array';
  items: Omit<StringFieldSchema, 'description'> | Omit<NumberFieldSchema, 'description'>;
  minItems?: number;
  maxItems: number;
  uniqueItems?: boolean;
}

export type MetadataFieldSchema = ScalarFieldSchema | ArrayFieldSchema;

export interface MetadataSchema {
  type: 'object';
  properties: Readonly<Record<string, MetadataFieldSchema>>;
  required?: readonly string[];
  additionalProperties: false;
}

/** One activity type, as the built-in catalog and configuration declare it. */
export interface ActivityTypeDefinition {
  /** `<noun>.<past-tense verb>`, lower snake case segments: `download.failed`. */
  type: string;
  /** One line: what happened. */
  meaning: string;
  /**
   * A short English sentence for timelines, in the first person's past tense without the subject:
   * `Started downloading {entity.id} ({metadata.version})`. Placeholders: `{entity.id}`,
   * `{entity.type}`, `{actor.id}`, `{metadata.<key>}`. A parenthesised part holding a placeholder is
   * dropped when a value is missing, so optional metadata goes there. describeActivity renders it.
   */
  sentence: string;
  category: ActivityCategory;
  /** The actor types that may perform it. */
  actorTypes: readonly ActorType[];
  /** The entity type it is about; when set, events must name such an entity, otherwise none. */
  entityType?: string;
  metadataSchema: MetadataSchema;
  /** Metadata keys the analytics store keeps; the others stay in the identified store only. */
  analyticsKeys: readonly string[];
  /** How long raw events are kept; defaults to DEFAULT_RETENTION_DAYS. */
  retentionDays?: RetentionDays;
  /**
   * A security record of what someone did with other people's data (an admin's read or export): it
   * survives its actor's own erasure until its retention ends (GDPR Art. 17(3)). Default false.
   */
  audit?: boolean;
  /** A realistic event of this type, rendered in the docs and validated by the tests. */
  example: ActivityEvent;
}

/** A definition as the catalog holds it: defaults applied. */
export type ActivityTypeInfo = Readonly<
  ActivityTypeDefinition & { retentionDays: RetentionDays; audit: boolean }
>;
