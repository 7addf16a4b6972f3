import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOUDEVENTS_SPEC_VERSION, DATA_CONTENT_TYPE, EVENT_ATTRIBUTES } from '../activity-event.types';
import { ActivityCatalog, getDefaultActivityCatalog } from '../catalog/activity-catalog';
import type { ActivityTypeInfo } from '../catalog/activity-type-definition.types';
import type { ErasureCompletion, ErasureRequest, ErasureStore } from '../erasure/erasure-request';
import {
  BINARY_CONTENT_TYPE,
  encodeBinary,
  encodeStructured,
  MAX_MESSAGE_VALUE_BYTES,
  STRUCTURED_CONTENT_TYPE,
} from '../kafka/kafka-binding.codec';
import { DEFAULT_EVENTS_TOPIC_PARTITIONS, TOPICS } from '../topics.constants';
import { CONTEXT_KEYS, MAX_ID_LENGTH } from '../validation/activity-event.validator';
import { toYaml } from './yaml.util';

/*
 * docs/asyncapi.yaml describes Chronicle's Kafka topics for producers in any language. It is rendered
 * from the catalog, the topics and the Kafka binding's constants, so it cannot drift from what the
 * workers accept; a spec fails when the committed file differs from this render, and the gateway
 * serves the same render at /api/docs/asyncapi.yaml.
 */

/** Where the document lives, relative to the repository root. */
export const ASYNCAPI_DOC_PATH = 'docs/asyncapi.yaml';
export const ASYNCAPI_DOC_COMMAND = 'npm run docs:asyncapi';
export const ASYNCAPI_VERSION = '3.0.0';

type Schema = Record<string, unknown>;
type EventAttribute = (typeof EVENT_ATTRIBUTES)[number];

/** The AsyncAPI Kafka bindings version the bindings below follow. */
const KAFKA_BINDING_VERSION = '0.5.0';

/** The channel and component names; the addresses are the topics. */
const CHANNELS = {
  activityEvents: TOPICS.events,
  deadLetters: TOPICS.dlq,
  erasureRequests: TOPICS.erasure,
  erasureStatus: TOPICS.erasureStatus,
} as const;

const ref = (path: string) => ({ $ref: `#/${path}` });
const schemaRef = (name: string) => ref(`components/schemas/${name}`);

/** An opaque id as the validator checks it (length and well-formedness; no personal data). */
const opaqueId = (description: string): Schema => ({
  type: 'string',
  minLength: 1,
  maxLength: MAX_ID_LENGTH,
  description,
});

/** The envelope attributes other than `type` and `data`, which depend on the activity type. */
const ATTRIBUTE_SCHEMAS: Readonly<Record<Exclude<EventAttribute, 'type' | 'data'>, Schema>> = {
  specversion: { type: 'string', const: CLOUDEVENTS_SPEC_VERSION },
  id: {
    type: 'string',
    format: 'uuid',
    description:
      'Any RFC 9562 UUID (versions 1 to 8; not the nil or max UUID), made by the producer; UUIDv7 recommended (time-ordered). The idempotency key everywhere downstream: a redelivered event keeps its id.',
  },
  source: {
    type: 'string',
    format: 'uri-reference',
    minLength: 1,
    description: 'A URI-reference naming the producing service, e.g. `/services/app-catalog`.',
  },
  time: {
    type: 'string',
    format: 'date-time',
    description:
      'When it happened, RFC 3339. Producers emit UTC with milliseconds (`2026-11-22T01:53:46.123Z`); any valid offset is accepted.',
  },
  subject: {
    type: 'string',
    description: 'Optional: `<entity type>/<entity id>`, naming `data.entity`.',
  },
  datacontenttype: { type: 'string', const: DATA_CONTENT_TYPE },
};

/** The binary mode's `ce_*` headers: every attribute but `data` and `datacontenttype`, as the codec reads them. */
const BINARY_HEADER_ATTRIBUTES = EVENT_ATTRIBUTES.filter(
  (attribute): attribute is Exclude<EventAttribute, 'data' | 'datacontenttype'> =>
    attribute !== 'data' && attribute !== 'datacontenttype',
);

/** The document as a JSON value; renderAsyncApiDoc writes it as YAML. Deterministic: same catalog, same value. */
export function buildAsyncApiDocument(catalog: ActivityCatalog = getDefaultActivityCatalog()): Schema {
  const definitions = catalog.definitions();
  const typeMessages = Object.fromEntries(
    definitions.map((d) => [d.type, ref(`components/messages/${d.type}`)]),
  );
  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Chronicle activity events',
      version: '1.0.0',
      description: [
        "Chronicle's Kafka topics, for producers in any language: send activity events and erasure requests,",
        'and follow the dead-letter and erasure status topics.',
        '',
        `Every record on \`${TOPICS.events}\` is a CloudEvents 1.0 event of one of the activity types below. Use`,
        'the CloudEvents Kafka binary mode (attributes in `ce_*` headers, the value is the JSON `data`) or the',
        'structured mode (`content-type: application/cloudevents+json`, the value is the whole event as JSON).',
        "The key is the actor id, so that one actor's events stay in order. Ids are opaque and never personal",
        'data: an id, or a string in metadata or context, that looks like an e-mail address, a phone number, an',
        'IP address or a payment card number makes the event invalid (docs/event-types.md).',
        '',
        `Generated from the catalog in libs/contracts by \`${ASYNCAPI_DOC_COMMAND}\`.`,
      ].join('\n'),
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: DATA_CONTENT_TYPE,
    servers: {
      kafka: {
        host: 'kafka.example.com:9093',
        protocol: 'kafka-secure',
        title: 'Your Kafka cluster',
        description: [
          "A placeholder for your deployment's brokers. Chronicle's clients connect over TLS (optionally with a",
          'client certificate) and authenticate with SASL/SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN; on a private',
          'network, such as the local stack, they also connect in plaintext without SASL.',
        ].join('\n'),
        security: ['scramSha512', 'scramSha256', 'plain', 'mutualTls'].map((name) =>
          ref(`components/securitySchemes/${name}`),
        ),
      },
    },
    channels: {
      activityEvents: {
        address: CHANNELS.activityEvents,
        title: 'Activity events',
        description: [
          'Every activity event, keyed by actor id: the source of truth both stores are built from.',
          `The local stack creates it with ${DEFAULT_EVENTS_TOPIC_PARTITIONS} partitions; a value larger than`,
          `${MAX_MESSAGE_VALUE_BYTES} bytes is refused. A record that can never be valid goes to \`${TOPICS.dlq}\`.`,
        ].join(' '),
        messages: typeMessages,
      },
      deadLetters: {
        address: CHANNELS.deadLetters,
        title: 'Dead letters',
        description: 'Records of the events topic that can never be valid, with why; nothing retries them.',
        messages: { DeadLetter: ref('components/messages/DeadLetter') },
      },
      erasureRequests: {
        address: CHANNELS.erasureRequests,
        title: 'Erasure requests',
        description:
          "Requests to erase a user's activity history; both stores act on each (docs/privacy.md).",
        messages: { ErasureRequest: ref('components/messages/ErasureRequest') },
      },
      erasureStatus: {
        address: CHANNELS.erasureStatus,
        title: 'Erasure status',
        description:
          'One completion per store and erasure request, keyed by request id, so that the requester can follow it.',
        messages: { ErasureCompletion: ref('components/messages/ErasureCompletion') },
      },
    },
    operations: {
      sendActivityEvent: {
        action: 'send',
        channel: ref('channels/activityEvents'),
        title: 'Send an activity event',
        summary: 'Producers publish events; the ingest and analytics workers consume them.',
      },
      receiveDeadLetter: {
        action: 'receive',
        channel: ref('channels/deadLetters'),
        title: 'Receive a dead letter',
        summary: "The workers publish the records they refuse; read them to find a producer's mistakes.",
      },
      sendErasureRequest: {
        action: 'send',
        channel: ref('channels/erasureRequests'),
        title: 'Request an erasure',
        summary: 'The gateway publishes erasure requests; the workers consume them.',
      },
      receiveErasureCompletion: {
        action: 'receive',
        channel: ref('channels/erasureStatus'),
        title: "Follow an erasure's progress",
        summary: 'Each store publishes its completion of a request.',
      },
    },
    components: {
      securitySchemes: {
        scramSha512: {
          type: 'scramSha512',
          description: 'SASL/SCRAM-SHA-512 over TLS.',
        },
        scramSha256: {
          type: 'scramSha256',
          description: 'SASL/SCRAM-SHA-256 over TLS.',
        },
        plain: {
          type: 'plain',
          description: 'SASL/PLAIN: the password travels as is, so only over TLS.',
        },
        mutualTls: {
          type: 'X509',
          description: 'A TLS client certificate, for brokers that require mutual TLS.',
        },
      },
      schemas: {
        ...Object.fromEntries(
          definitions.flatMap((d) => [
            [`${d.type}.event`, eventSchema(d)],
            [`${d.type}.data`, dataSchema(d)],
          ]),
        ),
        ActivityContext: contextSchema(),
        BinaryModeHeaders: binaryHeadersSchema(),
        StructuredModeHeaders: structuredHeadersSchema(),
        ErasureRequest: erasureRequestSchema(),
        ErasureCompletion: erasureCompletionSchema(),
      },
      messages: {
        ...Object.fromEntries(definitions.map((d) => [d.type, eventMessage(d)])),
        DeadLetter: deadLetterMessage(),
        ErasureRequest: erasureRequestMessage(),
        ErasureCompletion: erasureCompletionMessage(),
      },
    },
  };
}

function eventMessage(d: ActivityTypeInfo): Schema {
  const binary = encodeBinary(d.example);
  const structured = encodeStructured(d.example);
  return {
    name: d.type,
    title: d.type,
    summary: d.meaning,
    description: [
      `Actor types: ${d.actorTypes.join(', ')}. Entity: ${d.entityType === undefined ? 'none' : `\`${d.entityType}\`, required`}.`,
      `Kept ${d.retentionDays} days${d.audit ? "; an audit record, which survives its actor's own erasure until then" : ''}.`,
      'Binary mode: the BinaryModeHeaders and the `data` as the value. Structured mode: the StructuredModeHeaders',
      'and the whole event as the value.',
    ].join(' '),
    headers: {
      type: 'object',
      oneOf: [
        {
          title: 'Binary mode',
          allOf: [schemaRef('BinaryModeHeaders'), { properties: { ce_type: { const: d.type } } }],
        },
        schemaRef('StructuredModeHeaders'),
      ],
    },
    payload: {
      oneOf: [schemaRef(`${d.type}.event`), schemaRef(`${d.type}.data`)],
    },
    bindings: { kafka: { key: actorKey(), bindingVersion: KAFKA_BINDING_VERSION } },
    examples: [
      { name: 'binary', summary: 'Binary mode', headers: binary.headers, payload: d.example.data },
      { name: 'structured', summary: 'Structured mode', headers: structured.headers, payload: d.example },
    ],
  };
}

function actorKey(): Schema {
  return opaqueId("The actor's id (`data.actor.id`): one actor's events stay in one partition, in order.");
}

/** The whole event, the value of a structured-mode record. */
function eventSchema(d: ActivityTypeInfo): Schema {
  const properties: Record<Exclude<EventAttribute, 'subject'>, Schema> & { subject?: Schema } = {
    specversion: ATTRIBUTE_SCHEMAS.specversion,
    id: ATTRIBUTE_SCHEMAS.id,
    source: ATTRIBUTE_SCHEMAS.source,
    type: { type: 'string', const: d.type },
    time: ATTRIBUTE_SCHEMAS.time,
    // A subject must name data.entity, so a type without an entity has no subject.
    ...(d.entityType === undefined
      ? {}
      : { subject: { ...ATTRIBUTE_SCHEMAS.subject, pattern: `^${escapeRegExp(d.entityType)}/` } }),
    datacontenttype: ATTRIBUTE_SCHEMAS.datacontenttype,
    data: schemaRef(`${d.type}.data`),
  };
  return {
    title: `${d.type} (structured mode)`,
    description: 'The whole event as JSON: the value of a structured-mode record.',
    type: 'object',
    required: EVENT_ATTRIBUTES.filter((attribute) => attribute !== 'subject'),
    additionalProperties: false,
    properties,
  };
}

/** The event's `data`, the value of a binary-mode record. */
function dataSchema(d: ActivityTypeInfo): Schema {
  return {
    title: `${d.type} data (binary mode)`,
    description: "The event's `data`: the value of a binary-mode record.",
    type: 'object',
    required: ['actor', ...(d.entityType === undefined ? [] : ['entity']), 'metadata'],
    additionalProperties: false,
    properties: {
      actor: {
        type: 'object',
        required: ['type', 'id'],
        additionalProperties: false,
        properties: {
          type: { type: 'string', enum: d.actorTypes },
          id: opaqueId('Opaque: never an e-mail address or a name. Erasure and pseudonymisation key on it.'),
        },
      },
      ...(d.entityType === undefined
        ? {}
        : {
            entity: {
              type: 'object',
              required: ['type', 'id'],
              additionalProperties: false,
              properties: { type: { type: 'string', const: d.entityType }, id: opaqueId('Opaque id.') },
            },
          }),
      metadata: d.metadataSchema,
      context: schemaRef('ActivityContext'),
    },
  };
}

function contextSchema(): Schema {
  return {
    type: 'object',
    description: 'Optional request context; never an IP address or a user agent.',
    additionalProperties: false,
    properties: Object.fromEntries(CONTEXT_KEYS.map((key) => [key, { type: 'string' }])),
  };
}

function binaryHeadersSchema(): Schema {
  const ceHeaders = Object.fromEntries(
    BINARY_HEADER_ATTRIBUTES.map((attribute) => [
      `ce_${attribute}`,
      attribute === 'type'
        ? { type: 'string', description: 'The activity type: the message name.' }
        : ATTRIBUTE_SCHEMAS[attribute],
    ]),
  );
  return {
    title: 'Binary mode headers',
    description: 'CloudEvents attributes as `ce_*` headers (UTF-8); the value is the JSON `data`.',
    type: 'object',
    required: BINARY_HEADER_ATTRIBUTES.filter((attribute) => attribute !== 'subject').map((a) => `ce_${a}`),
    properties: {
      ...ceHeaders,
      'content-type': {
        type: 'string',
        const: BINARY_CONTENT_TYPE,
        description: "The data's type; Chronicle's SDK always sends it.",
      },
    },
  };
}

function structuredHeadersSchema(): Schema {
  const mediaType = STRUCTURED_CONTENT_TYPE.replace(/\s*;.*$/, '');
  return {
    title: 'Structured mode headers',
    description: 'The value is the whole event as JSON; no `ce_*` headers are needed.',
    type: 'object',
    required: ['content-type'],
    properties: {
      'content-type': {
        type: 'string',
        description: `\`${mediaType}\`, with optional parameters; it is what selects the structured mode. Chronicle reads the media type in any letter case.`,
        pattern: `^${escapeRegExp(mediaType)}\\s*(;.*)?$`,
        examples: [STRUCTURED_CONTENT_TYPE],
      },
    },
  };
}

function erasureRequestSchema(): Schema {
  const properties: Record<keyof ErasureRequest, Schema> = {
    requestId: {
      type: 'string',
      format: 'uuid',
      description: 'A UUIDv7 made by the requester; the idempotency key of the erasure.',
    },
    userId: opaqueId('The user whose activity is erased: the actor id of their events (actor type `user`).'),
    requestedAt: {
      type: 'string',
      format: 'date-time',
      description: 'RFC 3339. Events of the user up to this time are erased, even those that arrive later.',
    },
  };
  return { type: 'object', required: Object.keys(properties), properties };
}

function erasureCompletionSchema(): Schema {
  // Keyed by every ErasureStore, so that a new store fails to compile until it is listed here.
  const stores: Record<ErasureStore, true> = { postgres: true, clickhouse: true };
  const status: ErasureCompletion['status'] = 'completed';
  const properties: Record<keyof ErasureCompletion, Schema> = {
    requestId: { type: 'string', format: 'uuid', description: "The request's id." },
    store: { type: 'string', enum: Object.keys(stores), description: 'The store that reports.' },
    status: { type: 'string', const: status },
    rowsDeleted: { type: 'integer', minimum: 0 },
    completedAt: { type: 'string', format: 'date-time' },
  };
  return {
    type: 'object',
    description:
      'It names no user on purpose: the topic should not become a list of who asked to be forgotten.',
    required: Object.keys(properties),
    properties,
  };
}

function deadLetterMessage(): Schema {
  return {
    name: 'DeadLetter',
    title: 'Dead letter',
    summary: 'A refused record: its original key, value and headers, plus headers saying why.',
    headers: {
      type: 'object',
      description:
        "The original record's headers, plus Chronicle's: the reason, the stage that refused it, a detail for a person (no values from the record), the source topic, partition and offset, and when it failed.",
      additionalProperties: { type: 'string' },
    },
    payload: { description: "The original record's value, byte for byte; it may not be JSON." },
    bindings: {
      kafka: {
        key: { type: 'string', description: "The original record's key." },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function erasureRequestMessage(): Schema {
  return {
    name: 'ErasureRequest',
    title: 'Erasure request',
    contentType: DATA_CONTENT_TYPE,
    payload: schemaRef('ErasureRequest'),
    bindings: { kafka: { key: opaqueId('The user id.'), bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function erasureCompletionMessage(): Schema {
  return {
    name: 'ErasureCompletion',
    title: 'Erasure completion',
    contentType: DATA_CONTENT_TYPE,
    payload: schemaRef('ErasureCompletion'),
    bindings: {
      kafka: {
        key: { type: 'string', format: 'uuid', description: 'The request id.' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The YAML of docs/asyncapi.yaml for `catalog`. Deterministic: same catalog, same bytes. */
export function renderAsyncApiDoc(catalog?: ActivityCatalog): string {
  return [
    `# Generated from the activity type catalog in libs/contracts by \`${ASYNCAPI_DOC_COMMAND}\`. Do not edit.`,
    toYaml(buildAsyncApiDocument(catalog)),
  ].join('\n');
}

/** Writes the document under `repoRoot`; returns its path. */
export function writeAsyncApiDoc(repoRoot: string, catalog?: ActivityCatalog): string {
  const path = join(repoRoot, ASYNCAPI_DOC_PATH);
  writeFileSync(path, renderAsyncApiDoc(catalog));
  return path;
}
