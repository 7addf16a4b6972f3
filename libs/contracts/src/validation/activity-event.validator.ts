import type { ErrorObject } from 'ajv';
import {
  ACTOR_TYPES,
  ActivityEvent,
  CLOUDEVENTS_SPEC_VERSION as IMPORTED_SPEC_VERSION,
  DATA_CONTENT_TYPE as IMPORTED_DATA_CONTENT_TYPE,
  EVENT_ATTRIBUTES,
} from '../activity-event.types';
import type { ActivityCatalog } from '../catalog/activity-catalog';
import { ACTIVITY_TYPE_NAME } from '../catalog/activity-type-definition.check';
import type { ActivityTypeInfo } from '../catalog/activity-type-definition.types';
import { isRfc3339Timestamp as importedIsRfc3339Timestamp } from '../rfc3339.util';
import { isRfc9562Uuid as importedIsRfc9562Uuid } from '../uuid-v7.util';
import {
  detectPii as importedDetectPii,
  inspectText as importedInspectText,
  isWellFormedText as importedIsWellFormedText,
  PII_KIND_LABELS,
} from './pii-detection.util';
import { isUriReference as importedIsUriReference } from './uri-reference.util';
import type { ValidationProblem, ValidationResult } from './validation-problem.types';

/*
 * This runs on the SDK's log() path (p99 target 10 µs) and on every consumed record, so it allocates
 * little for a valid event (the result, and the bookkeeping of one scan of the metadata): paths are
 * constants or built only for a problem, and metadata schemas were compiled once, with the catalog. The input is untrusted: properties are read
 * one at a time inside try/catch (getters and proxies can throw), only own properties count (JSON has no
 * prototypes), and a last try/catch turns anything unforeseen into a problem instead of an exception.
 */

/**
 * Context keys an event may carry. Deliberately no IP address and no user agent: both identify a person
 * (an IP is personal data under the GDPR; a user agent is fingerprinting material), so either one would
 * make every event personal data and the pseudonymous analytics store re-identifiable.
 */
export const CONTEXT_KEYS = ['requestId', 'sessionId', 'clientVersion', 'appVersion', 'platform'] as const;

export const MAX_ID_LENGTH = 128;
const MAX_CONTEXT_VALUE_LENGTH = 128;
const MAX_ENTITY_TYPE_LENGTH = 64;
/** Past this many problems the input is garbage; listing more helps no one and costs memory. */
const MAX_PROBLEMS = 100;
/** Metadata is flat; anything nested deeper is already a schema problem, so the PII scan stops there. */
const MAX_SCAN_DEPTH = 8;
const MAX_SCANNED_VALUES = 10_000;
/**
 * Strings longer than this are not scanned for PII: every metadata string field has a maxLength of at
 * most 1024 (the catalog enforces it) and context values at most 128, so they are rejected anyway.
 */
const MAX_SCANNED_STRING_LENGTH = 1024;

const EVENT_ATTRIBUTE_SET: ReadonlySet<string> = new Set(EVENT_ATTRIBUTES);
const DATA_KEYS: ReadonlySet<string> = new Set(['actor', 'entity', 'metadata', 'context']);
const REF_KEYS: ReadonlySet<string> = new Set(['type', 'id']);
const CONTEXT_KEY_SET: ReadonlySet<string> = new Set(CONTEXT_KEYS);
const ACTOR_TYPE_SET: ReadonlySet<string> = new Set(ACTOR_TYPES);
const ID_MESSAGE = 'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)';
// See isWellFormedText: unpaired surrogates cannot be UTF-8 encoded, Postgres refuses NUL.
const ILL_FORMED_MESSAGE = 'must be valid Unicode text (no NUL, no unpaired surrogate)';

/*
 * What the hot path uses from other modules, bound once here. Run by tsx (esbuild's CommonJS output),
 * each use of an imported name is a read through the exporting module's interop getters, which V8 does
 * not inline here: these copies made a valid event's validation about 18% cheaper. None of these modules
 * imports this one, so the bindings are set when this runs.
 */
const CLOUDEVENTS_SPEC_VERSION = IMPORTED_SPEC_VERSION;
const DATA_CONTENT_TYPE = IMPORTED_DATA_CONTENT_TYPE;
const isRfc3339Timestamp = importedIsRfc3339Timestamp;
const isRfc9562Uuid = importedIsRfc9562Uuid;
const detectPii = importedDetectPii;
const inspectText = importedInspectText;
const isWellFormedText = importedIsWellFormedText;
const isUriReference = importedIsUriReference;

/** Marks a property whose getter (or proxy trap) threw. */
const UNREADABLE: unique symbol = Symbol('unreadable');

class Problems {
  list: ValidationProblem[] | undefined;
  private count = 0;

  add(path: string, message: string): void {
    this.count++;
    if (this.count <= MAX_PROBLEMS) (this.list ??= []).push({ path, message });
    else if (this.count === MAX_PROBLEMS + 1)
      this.list?.push({ path: '', message: `more than ${MAX_PROBLEMS} problems; the rest are not listed` });
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

function read(obj: object, key: string): unknown {
  try {
    return hasOwn.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
  } catch {
    return UNREADABLE;
  }
}

/** read() for a key already known to be own (from a for-in with hasOwn): one lookup instead of two. */
function readOwn(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE;
  }
}

const OBJECT_PROTOTYPE: unknown = Object.prototype;

/**
 * A JSON object: not an array, and with Object.prototype (of any realm) or null as prototype. Class
 * instances, Dates and objects inheriting properties are refused: JSON.stringify would not write what
 * validation saw.
 */
function isJsonObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // This realm's Object.prototype first: the usual case, and one call fewer.
  return proto === OBJECT_PROTOTYPE || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Reports a missing or unreadable value and returns false, so callers check the rest only for a value
 * that is there.
 */
function present(value: unknown, path: string, p: Problems): boolean {
  if (value === undefined) p.add(path, 'required');
  else if (value === UNREADABLE) p.add(path, 'could not be read');
  else return true;
  return false;
}

function checkOnlyKeys(
  obj: object,
  allowed: ReadonlySet<string>,
  base: string,
  message: string,
  p: Problems,
): void {
  for (const key in obj) {
    if (hasOwn.call(obj, key) && !allowed.has(key)) p.add(base === '' ? key : `${base}.${key}`, message);
  }
}

/** Validates `input` against the CloudEvents envelope and `catalog`; see validateActivityEvent. */
export function checkActivityEvent(input: unknown, catalog: ActivityCatalog): ValidationResult {
  const p = new Problems();
  try {
    checkEvent(input, catalog, p);
  } catch {
    p.add('', 'could not be validated');
  }
  return p.list === undefined ? { ok: true, event: input as ActivityEvent } : { ok: false, problems: p.list };
}

function checkEvent(input: unknown, catalog: ActivityCatalog, p: Problems): void {
  if (!isJsonObject(input)) {
    p.add('', 'must be a JSON object');
    return;
  }
  checkOnlyKeys(input, EVENT_ATTRIBUTE_SET, '', 'not a Chronicle event attribute', p);

  const specversion = read(input, 'specversion');
  if (present(specversion, 'specversion', p) && specversion !== CLOUDEVENTS_SPEC_VERSION)
    p.add('specversion', 'must be "1.0"');

  const id = read(input, 'id');
  // Any version: producers in other languages have their own UUID libraries. The SDK makes UUIDv7s.
  if (present(id, 'id', p) && !isRfc9562Uuid(id)) p.add('id', ID_MESSAGE);

  const source = read(input, 'source');
  if (present(source, 'source', p) && !isUriReference(source))
    p.add('source', 'must be a non-empty URI-reference');

  const type = read(input, 'type');
  let definition: ActivityTypeInfo | undefined;
  if (present(type, 'type', p)) {
    if (typeof type !== 'string') p.add('type', 'must be a string');
    else {
      definition = catalog.get(type);
      // The name is echoed only when it has the shape of a type name: the value is untrusted.
      if (definition === undefined)
        p.add(
          'type',
          ACTIVITY_TYPE_NAME.test(type) && type.length <= 64
            ? `unknown activity type "${type}"`
            : 'unknown activity type',
        );
    }
  }

  const time = read(input, 'time');
  if (present(time, 'time', p) && !isRfc3339Timestamp(time)) p.add('time', 'must be an RFC 3339 timestamp');

  const contentType = read(input, 'datacontenttype');
  if (present(contentType, 'datacontenttype', p) && contentType !== DATA_CONTENT_TYPE)
    p.add('datacontenttype', 'must be "application/json"');

  const subject = read(input, 'subject');
  if (subject === UNREADABLE) p.add('subject', 'could not be read');
  else if (subject !== undefined && typeof subject !== 'string') p.add('subject', 'must be a string');

  const data = read(input, 'data');
  if (!present(data, 'data', p)) return;
  if (!isJsonObject(data)) {
    p.add('data', 'must be a JSON object');
    return;
  }
  checkOnlyKeys(data, DATA_KEYS, 'data', 'not allowed', p);
  checkActor(read(data, 'actor'), definition, p);
  checkEntity(read(data, 'entity'), typeof subject === 'string' ? subject : undefined, definition, p);
  checkMetadata(read(data, 'metadata'), definition, catalog, p);
  checkContext(read(data, 'context'), p);
}

function checkActor(actor: unknown, definition: ActivityTypeInfo | undefined, p: Problems): void {
  if (!present(actor, 'data.actor', p)) return;
  if (!isJsonObject(actor)) {
    p.add('data.actor', 'must be a JSON object');
    return;
  }
  checkOnlyKeys(actor, REF_KEYS, 'data.actor', 'not allowed', p);
  const actorType = read(actor, 'type');
  if (present(actorType, 'data.actor.type', p)) {
    if (typeof actorType !== 'string' || !ACTOR_TYPE_SET.has(actorType))
      p.add('data.actor.type', 'must be one of user, system, service');
    else if (definition !== undefined && !(definition.actorTypes as readonly string[]).includes(actorType)) {
      p.add(
        'data.actor.type',
        `"${actorType}" is not allowed for ${definition.type} (allowed: ${definition.actorTypes.join(', ')})`,
      );
    }
  }
  const id = read(actor, 'id');
  if (checkId(id, 'data.actor.id', p)) checkOpaqueId(id, 'data.actor.id', p);
}

/**
 * Ids are keys, never personal data: an e-mail address, a payment card, an IP address or a phone
 * number as an id would reach both stores, every join and every backup, so each is refused with its
 * path, by the same heuristics as metadata (detectPii).
 */
function checkOpaqueId(id: string, path: string, p: Problems): void {
  const finding = detectPii(id);
  if (finding !== undefined) p.add(path, `looks like ${PII_KIND_LABELS[finding]} (ids must be opaque)`);
}

/** Checks an actor or entity id; returns whether it is a well-formed string (for further checks). */
function checkId(id: unknown, path: string, p: Problems): id is string {
  if (!present(id, path, p)) return false;
  if (typeof id !== 'string') p.add(path, 'must be a string');
  else if (id.length === 0) p.add(path, 'must not be empty');
  else if (id.length > MAX_ID_LENGTH) p.add(path, `must be at most ${MAX_ID_LENGTH} characters`);
  else if (!isWellFormedText(id)) p.add(path, ILL_FORMED_MESSAGE);
  else return true;
  return false;
}

function checkEntity(
  entity: unknown,
  subject: string | undefined,
  definition: ActivityTypeInfo | undefined,
  p: Problems,
): void {
  if (entity === UNREADABLE) {
    p.add('data.entity', 'could not be read');
    return;
  }
  if (entity === undefined) {
    if (definition?.entityType !== undefined)
      p.add('data.entity', `required for ${definition.type} (a ${definition.entityType})`);
    if (subject !== undefined) p.add('subject', 'given without data.entity');
    return;
  }
  if (definition !== undefined && definition.entityType === undefined) {
    p.add('data.entity', `not allowed for ${definition.type} (it is not about an entity)`);
  }
  if (!isJsonObject(entity)) {
    p.add('data.entity', 'must be a JSON object');
    return;
  }
  checkOnlyKeys(entity, REF_KEYS, 'data.entity', 'not allowed', p);
  const entityType = read(entity, 'type');
  let typeOk = false;
  if (present(entityType, 'data.entity.type', p)) {
    if (
      typeof entityType !== 'string' ||
      entityType.length === 0 ||
      entityType.length > MAX_ENTITY_TYPE_LENGTH ||
      entityType.includes('/')
    ) {
      p.add(
        'data.entity.type',
        `must be a non-empty string of at most ${MAX_ENTITY_TYPE_LENGTH} characters without "/"`,
      );
    } else if (definition?.entityType !== undefined && entityType !== definition.entityType) {
      p.add('data.entity.type', `must be "${definition.entityType}" for ${definition.type}`);
    } else typeOk = true;
  }
  const id = read(entity, 'id');
  const idOk = checkId(id, 'data.entity.id', p);
  if (idOk) checkOpaqueId(id, 'data.entity.id', p);
  if (subject !== undefined && typeOk && idOk && !isSubjectOf(subject, entityType as string, id)) {
    p.add('subject', 'must be "<entity type>/<entity id>" of data.entity');
  }
}

/** subject === `${type}/${id}`, without building that string. */
function isSubjectOf(subject: string, type: string, id: string): boolean {
  return (
    subject.length === type.length + 1 + id.length &&
    subject.startsWith(type) &&
    subject.charCodeAt(type.length) === 47 /* / */ &&
    subject.endsWith(id)
  );
}

function checkMetadata(
  metadata: unknown,
  definition: ActivityTypeInfo | undefined,
  catalog: ActivityCatalog,
  p: Problems,
): void {
  if (!present(metadata, 'data.metadata', p)) return;
  if (!isJsonObject(metadata)) {
    p.add('data.metadata', 'must be a JSON object');
    return;
  }
  if (definition !== undefined) {
    let errors: ErrorObject[] | null | undefined;
    try {
      errors = catalog.metadataErrors(definition.type, metadata);
    } catch {
      p.add('data.metadata', 'could not be read');
      return;
    }
    if (errors) for (const error of errors) reportSchemaError(error, definition.type, p);
  }
  scanStrings(metadata, 'data.metadata', p);
}

function checkContext(context: unknown, p: Problems): void {
  if (context === undefined) return;
  if (context === UNREADABLE) {
    p.add('data.context', 'could not be read');
    return;
  }
  if (!isJsonObject(context)) {
    p.add('data.context', 'must be a JSON object');
    return;
  }
  for (const key in context) {
    if (!hasOwn.call(context, key)) continue;
    if (!CONTEXT_KEY_SET.has(key)) {
      p.add(`data.context.${key}`, `not allowed (allowed: ${CONTEXT_KEYS.join(', ')})`);
      continue;
    }
    const value = readOwn(context, key);
    if (value === UNREADABLE) p.add(`data.context.${key}`, 'could not be read');
    else if (typeof value !== 'string') p.add(`data.context.${key}`, 'must be a string');
    else if (value.length === 0 || value.length > MAX_CONTEXT_VALUE_LENGTH) {
      p.add(
        `data.context.${key}`,
        `must be a non-empty string of at most ${MAX_CONTEXT_VALUE_LENGTH} characters`,
      );
    } else checkString(value, key, p, 'data.context', undefined);
  }
}

interface Scan {
  readonly p: Problems;
  readonly base: string;
  /** The keys and indexes from `base` to the value being visited. */
  readonly path: (string | number)[];
  budget: number;
}

/** Walks every string under `root` (recursively, cycle- and size-safe) for ill-formed text and PII. */
function scanStrings(root: object, base: string, p: Problems): void {
  const scan: Scan = { p, base, path: [], budget: MAX_SCANNED_VALUES };
  for (const key in root) {
    if (!hasOwn.call(root, key)) continue;
    scan.path.push(key);
    visit(scan, readOwn(root, key), key, 0);
    scan.path.pop();
  }
}

/** `key` is the nearest property name: array items are read under the key of their array. */
function visit(scan: Scan, value: unknown, key: string, depth: number): void {
  if (--scan.budget < 0) return;
  if (typeof value === 'string') {
    if (value.length <= MAX_SCANNED_STRING_LENGTH) checkString(value, key, scan.p, scan.base, scan.path);
    return;
  }
  if (typeof value !== 'object' || value === null || depth >= MAX_SCAN_DEPTH) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && scan.budget > 0; i++) {
      scan.path.push(i);
      visit(scan, readIndex(value, i), key, depth + 1);
      scan.path.pop();
    }
    return;
  }
  for (const child in value) {
    if (scan.budget <= 0) return;
    if (!hasOwn.call(value, child)) continue;
    scan.path.push(child);
    visit(scan, readOwn(value, child), child, depth + 1);
    scan.path.pop();
  }
}

function readIndex(array: readonly unknown[], index: number): unknown {
  try {
    return array[index];
  } catch {
    return UNREADABLE;
  }
}

/**
 * Reports an ill-formed or PII-looking string. Its path, `base` then `segments` (or `key` when there are
 * none), is built only when there is something to report.
 */
function checkString(
  value: string,
  key: string,
  p: Problems,
  base: string,
  segments: readonly (string | number)[] | undefined,
): void {
  const finding = inspectText(value, key);
  if (finding === undefined) return;
  const message =
    finding === 'ill-formed'
      ? ILL_FORMED_MESSAGE
      : `looks like ${PII_KIND_LABELS[finding]} (PII is not allowed)`;
  p.add(`${base}.${segments === undefined ? key : segments.join('.')}`, message);
}

const TYPE_ARTICLES: Readonly<Record<string, string>> = {
  integer: 'an integer',
  array: 'an array',
  object: 'an object',
};

/** Turns an Ajv error on metadata into a problem at a dotted path, in words a producer understands. */
function reportSchemaError(error: ErrorObject, type: string, p: Problems): void {
  let path = 'data.metadata' + pointerToDotted(error.instancePath);
  const params = error.params as Record<string, unknown>;
  let message: string;
  switch (error.keyword) {
    case 'required':
      path += `.${String(params['missingProperty'])}`;
      message = 'required';
      break;
    case 'additionalProperties':
      path += `.${String(params['additionalProperty'])}`;
      message = `not allowed for ${type}`;
      break;
    case 'type': {
      const expected = String(params['type']);
      message = `must be ${TYPE_ARTICLES[expected] ?? `a ${expected}`}`;
      break;
    }
    case 'enum':
      message = `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
      break;
    case 'minimum':
      message = `must be >= ${String(params['limit'])}`;
      break;
    case 'maximum':
      message = `must be <= ${String(params['limit'])}`;
      break;
    case 'minLength':
      message =
        params['limit'] === 1
          ? 'must not be empty'
          : `must be at least ${count(params['limit'], 'character')}`;
      break;
    case 'maxLength':
      message = `must be at most ${count(params['limit'], 'character')}`;
      break;
    case 'pattern':
      message = `must match ${String(params['pattern'])}`;
      break;
    case 'minItems':
      message = `must have at least ${count(params['limit'], 'item')}`;
      break;
    case 'maxItems':
      message = `must have at most ${count(params['limit'], 'item')}`;
      break;
    case 'uniqueItems': {
      const [first, second] = [Number(params['i']), Number(params['j'])].sort((a, b) => a - b);
      message = `must not have duplicates (items ${first} and ${second} are equal)`;
      break;
    }
    default:
      message = error.message ?? 'is invalid';
  }
  p.add(path, message);
}

function count(n: unknown, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${String(n)} ${noun}s`;
}

/** `/changedKeys/1` -> `.changedKeys.1` (JSON Pointer, RFC 6901, with its `~1` and `~0` escapes). */
function pointerToDotted(pointer: string): string {
  if (pointer === '') return '';
  return pointer.replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
}
