import * as contracts from './index';

describe('@chronicle/contracts (its index)', () => {
  it('names the topics of DESIGN.md (and the erasure status topic), and 12 partitions for the events', () => {
    expect(contracts.TOPICS).toEqual({
      events: 'activity.events.v1',
      dlq: 'activity.events.dlq.v1',
      erasure: 'activity.erasure.v1',
      erasureStatus: 'activity.erasure.status.v1',
    });
    expect(contracts.DEFAULT_EVENTS_TOPIC_PARTITIONS).toBe(12);
  });

  it('exports exactly the runtime API other projects build on, every name defined', () => {
    expect(Object.keys(contracts).sort()).toEqual(
      [
        'ACTIVITY_CATEGORIES',
        'ACTOR_TYPES',
        'ActivityCatalog',
        'ActivityCatalogError',
        'ActivityTypeFilterError',
        'BINARY_CONTENT_TYPE',
        'BUILT_IN_ACTIVITY_TYPES',
        'CLOUDEVENTS_SPEC_VERSION',
        'CONTEXT_KEYS',
        'DATA_CONTENT_TYPE',
        'DEFAULT_ADMISSION_POLICY',
        'DEFAULT_EVENTS_TOPIC_PARTITIONS',
        'DEFAULT_RETENTION_DAYS',
        'ERASURE_SUBJECT_ACTOR_TYPE',
        'EVENT_ATTRIBUTES',
        'MAX_ID_LENGTH',
        'MAX_MESSAGE_VALUE_BYTES',
        'MIN_PSEUDONYM_SECRET_BYTES',
        'PERSON_ENTITY_TYPES',
        'PII_KIND_LABELS',
        'RETENTION_CLASSES_DAYS',
        'STRUCTURED_CONTENT_TYPE',
        'TOPICS',
        'admitActivityEvent',
        'canonicalSource',
        'createActivityCatalog',
        'createPseudonymizer',
        'decodeActivityEvent',
        'describeActivity',
        'detectPii',
        'encodeBinary',
        'encodeErasureCompletion',
        'encodeErasureRequest',
        'encodeStructured',
        'erasedOnArrival',
        'erasureCovers',
        'formatEventTime',
        'formatProblems',
        'formatUuidV7',
        'getDefaultActivityCatalog',
        'isPersonEntityType',
        'isRfc3339Timestamp',
        'isRfc9562Uuid',
        'isTimeZoneName',
        'isUuidV7',
        'isWellFormedText',
        'parseErasureRequest',
        'parseRfc3339',
        'renderAsyncApiDoc',
        'resolveTypeFilter',
        'toActivityEvent',
        'toCanonicalEvent',
        'uuidV7Timestamp',
        'uuidv7',
        'validateActivityEvent',
      ].sort(),
    );
    for (const [name, value] of Object.entries(contracts))
      expect([name, value]).not.toEqual([name, undefined]);
  });
});
