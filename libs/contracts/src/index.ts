// The public API of @chronicle/contracts: the event, the catalog, the topics. Depends on nothing of ours.

export { TOPICS, DEFAULT_EVENTS_TOPIC_PARTITIONS } from './topics.constants';
export type { TopicName } from './topics.constants';

export { uuidv7, isUuidV7, isRfc9562Uuid, uuidV7Timestamp, formatUuidV7 } from './uuid-v7.util';
export { isRfc3339Timestamp, parseRfc3339, formatEventTime } from './rfc3339.util';
export { isTimeZoneName } from './time-zone.util';

export {
  ACTOR_TYPES,
  EVENT_ATTRIBUTES,
  CLOUDEVENTS_SPEC_VERSION,
  DATA_CONTENT_TYPE,
} from './activity-event.types';
export type {
  ActorType,
  Actor,
  EntityRef,
  ActivityContext,
  ActivityMetadata,
  ActivityData,
  ActivityEvent,
  ActivityInput,
} from './activity-event.types';
export { toActivityEvent } from './activity-event.factory';
export { toCanonicalEvent, canonicalSource } from './canonical-event';
export type { ToActivityEventOptions } from './activity-event.factory';

export {
  ACTIVITY_CATEGORIES,
  RETENTION_CLASSES_DAYS,
  DEFAULT_RETENTION_DAYS,
} from './catalog/activity-type-definition.types';
export type {
  ActivityCategory,
  RetentionDays,
  ActivityTypeDefinition,
  ActivityTypeInfo,
  MetadataSchema,
  MetadataFieldSchema,
  ScalarFieldSchema,
  StringFieldSchema,
  NumberFieldSchema,
  BooleanFieldSchema,
  ArrayFieldSchema,
} from './catalog/activity-type-definition.types';
export { BUILT_IN_ACTIVITY_TYPES } from './catalog/built-in-activity-types.catalog';
export type { BuiltInActivityType } from './catalog/built-in-activity-types.catalog';
export {
  ActivityCatalog,
  ActivityCatalogError,
  createActivityCatalog,
  getDefaultActivityCatalog,
} from './catalog/activity-catalog';
export { describeActivity } from './catalog/activity-sentence';
export type { DescribableActivity } from './catalog/activity-sentence';
export { ActivityTypeFilterError, resolveTypeFilter } from './catalog/type-filter.util';
export type { TypeFilter } from './catalog/type-filter.util';

export { validateActivityEvent } from './validation/validate-activity-event';
export { admitActivityEvent, DEFAULT_ADMISSION_POLICY } from './validation/admission';
export type { AdmissionPolicy, AdmissionVerdict } from './validation/admission';
export { CONTEXT_KEYS, MAX_ID_LENGTH } from './validation/activity-event.validator';
export { formatProblems } from './validation/validation-problem.types';
export type { ValidationProblem, ValidationResult } from './validation/validation-problem.types';
export { detectPii, isWellFormedText, PII_KIND_LABELS } from './validation/pii-detection.util';
export type { PiiKind } from './validation/pii-detection.util';

export {
  encodeBinary,
  encodeStructured,
  decodeActivityEvent,
  BINARY_CONTENT_TYPE,
  STRUCTURED_CONTENT_TYPE,
  MAX_MESSAGE_VALUE_BYTES,
} from './kafka/kafka-binding.codec';
export type {
  KafkaHeaderValue,
  KafkaHeaders,
  KafkaMessageLike,
  EncodedKafkaMessage,
  DecodeResult,
  DecodedBinding,
  KafkaBinding,
} from './kafka/kafka-binding.codec';

export {
  parseErasureRequest,
  encodeErasureRequest,
  encodeErasureCompletion,
  erasureCovers,
  erasedOnArrival,
  ERASURE_SUBJECT_ACTOR_TYPE,
} from './erasure/erasure-request';
export type {
  ErasureRequest,
  ErasureCompletion,
  ErasureStore,
  ErasureRequestResult,
} from './erasure/erasure-request';

export {
  createPseudonymizer,
  isPersonEntityType,
  MIN_PSEUDONYM_SECRET_BYTES,
  PERSON_ENTITY_TYPES,
} from './privacy/pseudonymizer';
export type { Pseudonymizer } from './privacy/pseudonymizer';

// docs/asyncapi.yaml, which the gateway also serves.
export { renderAsyncApiDoc } from './docs/asyncapi-doc';
