import type { ActivityEvent } from '../activity-event.types';
import type { ActivityCatalog } from '../catalog/activity-catalog';
import { getDefaultActivityCatalog } from '../catalog/activity-catalog';
import { toCanonicalEvent } from '../canonical-event';
import { checkActivityEvent } from '../validation/activity-event.validator';
import type { ValidationProblem } from '../validation/validation-problem.types';

/*
 * The CloudEvents Kafka protocol binding (v1.0). Producers here use the binary mode (attributes in `ce_*`
 * headers, the value is the JSON `data`): consumers can route on headers without parsing the value.
 * Consumers also accept the structured mode (the value is the whole event as JSON) so that kcat or
 * Kafka's console producer can publish, with or without its content-type header (many clients of other
 * languages set no header at all). The key is the actor id in both: per-actor ordering.
 *
 * The message types are structural (no kafkajs import), so this library depends on no Kafka client;
 * kafkajs' Message and KafkaMessage fit them.
 */

export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;
export type KafkaHeaders = Record<string, KafkaHeaderValue>;

/** What a Kafka consumer hands over (kafkajs' KafkaMessage fits). */
export interface KafkaMessageLike {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: KafkaHeaders;
}

/** What the encoders produce, ready for a producer's `send` (kafkajs' Message fits). */
export interface EncodedKafkaMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export const BINARY_CONTENT_TYPE = 'application/json';
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';
/** Kafka's default message.max.bytes; a larger value is refused before it is decoded. */
export const MAX_MESSAGE_VALUE_BYTES = 1_048_576;

/** Binary mode. The event is assumed valid (the SDK validates before encoding). */
export function encodeBinary(event: ActivityEvent): EncodedKafkaMessage {
  const headers: Record<string, string> = {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
  };
  if (event.subject !== undefined) headers['ce_subject'] = event.subject;
  headers['content-type'] = BINARY_CONTENT_TYPE;
  return { key: event.data.actor.id, value: Buffer.from(JSON.stringify(event.data)), headers };
}

/** Structured mode: the whole event as JSON. The event is assumed valid. */
export function encodeStructured(event: ActivityEvent): EncodedKafkaMessage {
  return {
    key: event.data.actor.id,
    value: Buffer.from(JSON.stringify(event)),
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
  };
}

export type KafkaBinding = 'binary' | 'structured';

/** How a record was read: its binding, and whether that was inferred from the value (see decodeActivityEvent). */
export interface DecodedBinding {
  binding: KafkaBinding;
  /** True for a structured record without content-type header, recognised by the `specversion` in its value. */
  bindingInferred: boolean;
}

export type DecodeResult =
  | ({ ok: true; event: ActivityEvent } & DecodedBinding)
  /** Not a readable CloudEvent at all. */
  | { ok: false; stage: 'decode'; problems: ValidationProblem[] }
  /** A CloudEvent that breaks the contract. */
  | ({ ok: false; stage: 'validate'; problems: ValidationProblem[] } & DecodedBinding);

const NOT_A_CLOUDEVENT =
  'not a CloudEvent: expected content-type application/cloudevents+json or, without content-type, a JSON object with specversion (structured), or ce_* headers (binary)';

/**
 * Reads an activity event from a Kafka message in either binding, then validates it against `catalog`.
 * The binding is the structured one when content-type is application/cloudevents+json, otherwise the
 * binary one when `ce_*` headers are present. A record with neither a content-type nor a `ce_*` header
 * is read as structured when its value is a JSON object with a `specversion` member, and the result says
 * so (`bindingInferred`), so that the workers can count the producers relying on it. A valid event
 * comes back in its canonical form (toCanonicalEvent): the same event in another spelling or binding
 * decodes to the same object. Never throws: a record that cannot be read is a result with stage
 * 'decode', for the DLQ.
 */
export function decodeActivityEvent(
  message: KafkaMessageLike | unknown,
  catalog?: ActivityCatalog,
): DecodeResult {
  let decoded: ({ event: unknown } & DecodedBinding) | ValidationProblem[];
  try {
    decoded = decodeMessage(message);
  } catch {
    decoded = [{ path: '', message: 'could not be decoded' }];
  }
  if (Array.isArray(decoded)) return { ok: false, stage: 'decode', problems: decoded };
  const { binding, bindingInferred } = decoded;
  const result = checkActivityEvent(decoded.event, catalog ?? getDefaultActivityCatalog());
  return result.ok
    ? { ok: true, event: toCanonicalEvent(result.event), binding, bindingInferred }
    : { ok: false, stage: 'validate', problems: result.problems, binding, bindingInferred };
}

/** `fatal`: invalid UTF-8 is an error, not silently replaced by U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Text = { text: string } | { problem: string };

function toText(value: unknown): Text {
  if (typeof value === 'string') return { text: value };
  if (ArrayBuffer.isView(value)) {
    try {
      return { text: utf8.decode(value as Uint8Array) };
    } catch {
      return { problem: 'not valid UTF-8' };
    }
  }
  return { problem: 'must be a string or bytes' };
}

function decodeMessage(message: unknown): ({ event: unknown } & DecodedBinding) | ValidationProblem[] {
  if (typeof message !== 'object' || message === null)
    return [{ path: '', message: 'must be a Kafka message' }];
  const problems: ValidationProblem[] = [];
  const headers = readHeaders((message as { headers?: unknown }).headers, problems);
  const contentType = headers.get('content-type');
  const mediaType = contentType === undefined ? undefined : mediaTypeOf(contentType);

  let binding: KafkaBinding;
  if (mediaType === 'application/cloudevents+json') binding = 'structured';
  else if (mediaType === 'application/cloudevents-batch+json') {
    return [
      {
        path: 'headers.content-type',
        message: 'batches of CloudEvents are not supported; send one event per record',
      },
    ];
  } else if ([...headers.keys()].some((name) => name.startsWith('ce_'))) binding = 'binary';
  else if (contentType === undefined) return inferStructured(message, problems);
  else {
    problems.push({ path: 'headers', message: NOT_A_CLOUDEVENT });
    return problems;
  }
  if (binding === 'binary' && mediaType !== undefined && mediaType !== BINARY_CONTENT_TYPE) {
    problems.push({
      path: 'headers.content-type',
      message: 'must be application/json in the binary binding',
    });
  }

  const body = readValue((message as { value?: unknown }).value, problems);
  if (problems.length > 0 || body === undefined) return problems;

  if (binding === 'structured') return { event: body, binding, bindingInferred: false };
  // Every ce_* header becomes an attribute, unknown ones included, so that validation names them rather
  // than this dropping them. fromEntries defines own properties: a `ce___proto__` header cannot reach a
  // prototype.
  const entries: [string, unknown][] = [];
  for (const [name, text] of headers) {
    if (!name.startsWith('ce_')) continue;
    const attribute = name.slice(3);
    if (attribute === 'data' || attribute === 'datacontenttype') {
      problems.push({
        path: `headers.${name}`,
        message: 'not allowed in the binary binding (the value is the data, content-type its type)',
      });
    } else entries.push([attribute, text]);
  }
  if (problems.length > 0) return problems;
  entries.push(['datacontenttype', BINARY_CONTENT_TYPE], ['data', body]);
  return { event: Object.fromEntries(entries), binding, bindingInferred: false };
}

/**
 * A record without content-type or `ce_*` header: structured when its value is a JSON object with a
 * `specversion` member (CloudEvents' one attribute every version and event has). Anything else is
 * refused as not a CloudEvent, whatever is wrong with its value: nothing says the producer meant one.
 */
function inferStructured(
  message: object,
  problems: ValidationProblem[],
): ({ event: unknown } & DecodedBinding) | ValidationProblem[] {
  const body = readValue((message as { value?: unknown }).value, []);
  const isCloudEvent =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.prototype.hasOwnProperty.call(body, 'specversion');
  if (!isCloudEvent) problems.push({ path: 'headers', message: NOT_A_CLOUDEVENT });
  if (problems.length > 0) return problems;
  return { event: body, binding: 'structured', bindingInferred: true };
}

/** `Application/JSON; charset=utf-8` -> `application/json`. */
function mediaTypeOf(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/** Header names are matched in lower case; a header given twice is ambiguous and refused. */
function readHeaders(raw: unknown, problems: ValidationProblem[]): Map<string, string> {
  const headers = new Map<string, string>();
  if (raw === undefined || raw === null) return headers;
  if (typeof raw !== 'object') {
    problems.push({ path: 'headers', message: 'must be an object' });
    return headers;
  }
  for (const [rawName, rawValue] of Object.entries(raw)) {
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    const path = `headers.${name}`;
    let value: unknown = rawValue;
    if (Array.isArray(rawValue)) {
      if (rawValue.length !== 1) {
        problems.push({ path, message: 'given more than once' });
        continue;
      }
      value = rawValue[0];
    }
    const text = toText(value);
    if ('problem' in text) problems.push({ path, message: text.problem });
    else if (headers.has(name)) problems.push({ path, message: 'given more than once' });
    else headers.set(name, text.text);
  }
  return headers;
}

function readValue(raw: unknown, problems: ValidationProblem[]): unknown {
  if (raw === null || raw === undefined) {
    problems.push({ path: 'value', message: 'required (a null value is a tombstone, not an event)' });
    return undefined;
  }
  const size = typeof raw === 'string' ? raw.length : ArrayBuffer.isView(raw) ? raw.byteLength : 0;
  if (size > MAX_MESSAGE_VALUE_BYTES) {
    problems.push({ path: 'value', message: `larger than ${MAX_MESSAGE_VALUE_BYTES} bytes` });
    return undefined;
  }
  const text = toText(raw);
  if ('problem' in text) {
    problems.push({ path: 'value', message: text.problem });
    return undefined;
  }
  try {
    return JSON.parse(text.text) as unknown;
  } catch {
    problems.push({ path: 'value', message: 'not valid JSON' });
    return undefined;
  }
}
