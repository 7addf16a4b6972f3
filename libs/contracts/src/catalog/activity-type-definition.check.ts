import { ACTOR_TYPES } from '../activity-event.types';
import { ACTIVITY_CATEGORIES, RETENTION_CLASSES_DAYS } from './activity-type-definition.types';

/*
 * Checks a definition's shape before anything compiles it. Definitions may come from configuration
 * (JSON), so every field is checked, unknown fields included: a typo such as `actorType` would otherwise
 * silently fall back to a default.
 */

export const ACTIVITY_TYPE_NAME = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const ENTITY_TYPE_NAME = /^[a-z][a-z0-9_]*$/;
// camelCase: metadata keys become analytics columns and must not need quoting anywhere.
const METADATA_KEY = /^[a-z][A-Za-z0-9]*$/;
const MAX_NAME_LENGTH = 64;
/** Bounds every metadata string, which also bounds the PII scan of each. */
export const MAX_METADATA_STRING_LENGTH = 1024;
const MAX_METADATA_ARRAY_ITEMS = 1000;
const MAX_METADATA_KEYS = 32;
const MAX_SENTENCE_LENGTH = 200;
const PLACEHOLDER = /^\{(entity|actor|metadata)\.([^{}]*)\}$/;
// `{entity.id}`, `{entity.type}`, `{actor.id}`, `{metadata.<key>}`: whether the key is in the schema is
// the definition's check, not the syntax's.
const PLACEHOLDER_KEYS: Readonly<Record<SentencePlaceholder['source'], RegExp>> = {
  entity: /^(?:id|type)$/,
  actor: /^id$/,
  metadata: METADATA_KEY,
};

const DEFINITION_KEYS = new Set([
  'type',
  'meaning',
  'sentence',
  'category',
  'actorTypes',
  'entityType',
  'metadataSchema',
  'analyticsKeys',
  'retentionDays',
  'audit',
  'example',
]);
const SCHEMA_KEYS = new Set(['type', 'properties', 'required', 'additionalProperties']);
const FIELD_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  string: new Set(['type', 'description', 'enum', 'minLength', 'maxLength', 'pattern']),
  integer: new Set(['type', 'description', 'minimum', 'maximum']),
  number: new Set(['type', 'description', 'minimum', 'maximum']),
  boolean: new Set(['type', 'description']),
  array: new Set(['type', 'description', 'items', 'minItems', 'maxItems', 'uniqueItems']),
};

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isName(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && value.length <= MAX_NAME_LENGTH && pattern.test(value);
}

function isUniqueStringArray(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.every((v) => typeof v === 'string') && new Set(value).size === value.length
  );
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function unknownKeys(fields: Fields, allowed: ReadonlySet<string>, at: string, problems: string[]): void {
  for (const key of Object.keys(fields)) if (!allowed.has(key)) problems.push(`${at}${key}: unknown field`);
}

/** Every problem with the shape of `definition` (not its example, which needs the compiled catalog). */
export function checkDefinitionShape(definition: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(definition)) return ['must be an object'];
  unknownKeys(definition, DEFINITION_KEYS, '', problems);
  const d = definition;
  if (!isName(d['type'], ACTIVITY_TYPE_NAME)) {
    problems.push(
      'type: must be dot-separated lower snake case segments, at least two (`download.failed`), ≤ 64 characters',
    );
  }
  if (typeof d['meaning'] !== 'string' || d['meaning'].trim() === '' || /[\r\n]/.test(d['meaning'])) {
    problems.push('meaning: must be one non-empty line');
  }
  if (!(ACTIVITY_CATEGORIES as readonly unknown[]).includes(d['category'])) {
    problems.push(`category: must be one of ${ACTIVITY_CATEGORIES.join(', ')}`);
  }
  const actorTypes = d['actorTypes'];
  if (
    !isUniqueStringArray(actorTypes) ||
    actorTypes.length === 0 ||
    !actorTypes.every((t) => (ACTOR_TYPES as readonly string[]).includes(t))
  ) {
    problems.push(`actorTypes: must be a non-empty list of distinct actor types (${ACTOR_TYPES.join(', ')})`);
  }
  if (d['entityType'] !== undefined && !isName(d['entityType'], ENTITY_TYPE_NAME)) {
    problems.push('entityType: must be lower snake case, ≤ 64 characters');
  }
  const propertyNames = checkMetadataSchema(d['metadataSchema'], problems);
  checkSentence(d, problems);
  const analyticsKeys = d['analyticsKeys'];
  if (!isUniqueStringArray(analyticsKeys))
    problems.push('analyticsKeys: must be a list of distinct metadata keys');
  else {
    for (const key of analyticsKeys) {
      if (!propertyNames.includes(key)) problems.push(`analyticsKeys: ${key} is not a metadata property`);
    }
  }
  if (
    d['retentionDays'] !== undefined &&
    !(RETENTION_CLASSES_DAYS as readonly unknown[]).includes(d['retentionDays'])
  ) {
    problems.push(`retentionDays: must be one of ${RETENTION_CLASSES_DAYS.join(', ')}`);
  }
  if (d['audit'] !== undefined && typeof d['audit'] !== 'boolean')
    problems.push('audit: must be true or false');
  if (!isRecord(d['example'])) problems.push('example: must be an event');
  return problems;
}

/**
 * A sentence template must render for every valid event of its type: it names only metadata keys of
 * the schema, an entity only when the type has one, and optional metadata only inside a parenthesised
 * part (which is dropped when the value is missing).
 */
function checkSentence(d: Fields, problems: string[]): void {
  const sentence = d['sentence'];
  if (
    typeof sentence !== 'string' ||
    sentence.trim() === '' ||
    /[\r\n]/.test(sentence) ||
    sentence.length > MAX_SENTENCE_LENGTH
  ) {
    problems.push(`sentence: must be one non-empty line of at most ${MAX_SENTENCE_LENGTH} characters`);
    return;
  }
  const template = parseSentenceTemplate(sentence);
  for (const problem of template.problems) problems.push(`sentence: ${problem}`);
  const schema = d['metadataSchema'];
  // With no properties to speak of, the schema's own problems say enough.
  const properties = isRecord(schema) && isRecord(schema['properties']) ? schema['properties'] : undefined;
  const required = isRecord(schema) && Array.isArray(schema['required']) ? schema['required'] : [];
  const check = (placeholder: SentencePlaceholder, optional: boolean) => {
    const name = `{${placeholder.source}.${placeholder.key}}`;
    if (placeholder.source === 'entity' && d['entityType'] === undefined)
      problems.push(`sentence: ${name} names an entity, and the type has none`);
    if (placeholder.source !== 'metadata' || properties === undefined) return;
    if (!Object.prototype.hasOwnProperty.call(properties, placeholder.key))
      problems.push(`sentence: ${name} names no metadata property of the type`);
    else if (!optional && !required.includes(placeholder.key))
      problems.push(`sentence: ${name} is optional metadata: put it in a parenthesised part`);
  };
  for (const part of template.parts) {
    if (part.kind === 'value') check(part.placeholder, false);
    else if (part.kind === 'optional')
      for (const inner of part.parts) if (inner.kind === 'value') check(inner.placeholder, true);
  }
}

/** What a placeholder reads: `{metadata.version}` is `{ source: 'metadata', key: 'version' }`. */
export interface SentencePlaceholder {
  source: 'entity' | 'actor' | 'metadata';
  key: string;
}
export type SentenceSegment =
  { kind: 'text'; text: string } | { kind: 'value'; placeholder: SentencePlaceholder };
/** A template's parts; an `optional` part is a parenthesised one holding a placeholder. */
export type SentencePart = SentenceSegment | { kind: 'optional'; parts: SentenceSegment[] };

/**
 * Splits a sentence template into text, placeholders and optional (parenthesised) parts, with the
 * problems of its syntax: a brace that opens no placeholder, an unknown placeholder, parentheses that
 * do not pair or that nest. Parentheses without a placeholder are plain text: `(beta)` always shows.
 */
export function parseSentenceTemplate(template: string): { parts: SentencePart[]; problems: string[] } {
  const parts: SentencePart[] = [];
  const problems: string[] = [];
  let group: SentenceSegment[] | undefined;
  const addText = (text: string) => {
    const into: SentencePart[] = group ?? parts;
    const last = into.at(-1);
    if (last?.kind === 'text') last.text += text;
    else into.push({ kind: 'text', text });
  };
  for (const [token] of template.matchAll(/\{[^{}]*\}|[{}()]|[^{}()]+/g)) {
    if (token.length > 1 && token.startsWith('{')) {
      const [, source, key] = PLACEHOLDER.exec(token) ?? [];
      const placeholder = { source, key } as SentencePlaceholder;
      if (source !== undefined && PLACEHOLDER_KEYS[placeholder.source].test(placeholder.key))
        (group ?? parts).push({ kind: 'value', placeholder });
      else
        problems.push(
          `${token} is not a placeholder: use {entity.id}, {entity.type}, {actor.id} or {metadata.<key>}`,
        );
    } else if (token === '{' || token === '}') {
      problems.push(`a "${token}" that is not part of a placeholder`);
    } else if (token === '(') {
      if (group) problems.push('parentheses cannot nest');
      else group = [];
    } else if (token === ')') {
      if (group) {
        const inner: SentenceSegment[] = group;
        group = undefined;
        if (inner.some((segment) => segment.kind === 'value')) parts.push({ kind: 'optional', parts: inner });
        else addText(`(${inner.map((segment) => (segment.kind === 'text' ? segment.text : '')).join('')})`);
      } else problems.push('a ")" without its "("');
    } else addText(token);
  }
  if (group) problems.push('a "(" without its ")"');
  return { parts, problems };
}

/** Checks the metadata schema and returns its property names (empty when it has none to speak of). */
function checkMetadataSchema(schema: unknown, problems: string[]): string[] {
  if (!isRecord(schema)) {
    problems.push('metadataSchema: must be an object schema');
    return [];
  }
  unknownKeys(schema, SCHEMA_KEYS, 'metadataSchema.', problems);
  if (schema['type'] !== 'object') problems.push('metadataSchema.type: must be "object"');
  if (schema['additionalProperties'] !== false) {
    problems.push('metadataSchema.additionalProperties: must be false (metadata keys are declared)');
  }
  const properties = schema['properties'];
  if (!isRecord(properties)) {
    problems.push('metadataSchema.properties: must be an object');
    return [];
  }
  const names = Object.keys(properties);
  if (names.length > MAX_METADATA_KEYS)
    problems.push(`metadataSchema.properties: at most ${MAX_METADATA_KEYS} keys`);
  for (const name of names) {
    const at = `metadataSchema.properties.${name}`;
    if (!isName(name, METADATA_KEY)) problems.push(`${at}: key must be camelCase, ≤ 64 characters`);
    checkField(properties[name], at, true, problems);
  }
  const required = schema['required'];
  if (required !== undefined) {
    if (!isUniqueStringArray(required))
      problems.push('metadataSchema.required: must be a list of distinct keys');
    else
      for (const key of required)
        if (!names.includes(key)) problems.push(`metadataSchema.required: ${key} is not a property`);
  }
  return names;
}

function checkField(field: unknown, at: string, topLevel: boolean, problems: string[]): void {
  if (!isRecord(field)) {
    problems.push(`${at}: must be a schema object`);
    return;
  }
  const type = field['type'];
  const allowed = typeof type === 'string' ? FIELD_KEYS[type] : undefined;
  if (allowed === undefined || (!topLevel && (type === 'array' || type === 'boolean'))) {
    problems.push(
      `${at}.type: must be one of ${topLevel ? 'string, integer, number, boolean, array' : 'string, integer, number'}`,
    );
    return;
  }
  for (const key of Object.keys(field)) {
    if (!allowed.has(key) || (!topLevel && key === 'description'))
      problems.push(`${at}.${key}: not supported for ${String(type)} fields`);
  }
  if (topLevel && (typeof field['description'] !== 'string' || field['description'].trim() === '')) {
    problems.push(`${at}.description: required (one line for the docs)`);
  }
  if (type === 'string') checkStringField(field, at, problems);
  else if (type === 'integer' || type === 'number') checkNumberField(field, at, problems);
  else if (type === 'array') {
    if (!isCount(field['maxItems'], MAX_METADATA_ARRAY_ITEMS) || field['maxItems'] < 1) {
      problems.push(`${at}.maxItems: required, 1–${MAX_METADATA_ARRAY_ITEMS}`);
    } else if (field['minItems'] !== undefined && !isCount(field['minItems'], field['maxItems'])) {
      problems.push(`${at}.minItems: must be an integer from 0 to maxItems`);
    }
    if (field['uniqueItems'] !== undefined && typeof field['uniqueItems'] !== 'boolean')
      problems.push(`${at}.uniqueItems: must be a boolean`);
    checkField(field['items'], `${at}.items`, false, problems);
  }
}

function checkStringField(field: Fields, at: string, problems: string[]): void {
  const values = field['enum'];
  if (
    values !== undefined &&
    (!isUniqueStringArray(values) ||
      values.length === 0 ||
      values.some((v) => v.length > MAX_METADATA_STRING_LENGTH))
  ) {
    problems.push(`${at}.enum: must be a non-empty list of distinct strings`);
  }
  const max = field['maxLength'];
  if (max === undefined && values === undefined) {
    problems.push(`${at}: a string needs a maxLength or an enum (no unbounded text)`);
  } else if (max !== undefined && (!isCount(max, MAX_METADATA_STRING_LENGTH) || max < 1)) {
    problems.push(`${at}.maxLength: must be an integer from 1 to ${MAX_METADATA_STRING_LENGTH}`);
  }
  const min = field['minLength'];
  if (
    min !== undefined &&
    (!isCount(min, MAX_METADATA_STRING_LENGTH) || (typeof max === 'number' && min > max))
  ) {
    problems.push(`${at}.minLength: must be an integer from 0 to maxLength`);
  }
  const pattern = field['pattern'];
  if (pattern !== undefined) {
    let compiles = typeof pattern === 'string';
    try {
      if (compiles) new RegExp(pattern as string, 'u');
    } catch {
      compiles = false;
    }
    if (!compiles) problems.push(`${at}.pattern: must be a valid regular expression`);
  }
}

function checkNumberField(field: Fields, at: string, problems: string[]): void {
  const min = field['minimum'];
  const max = field['maximum'];
  if (min !== undefined && (typeof min !== 'number' || !Number.isFinite(min)))
    problems.push(`${at}.minimum: must be a finite number`);
  if (max !== undefined && (typeof max !== 'number' || !Number.isFinite(max)))
    problems.push(`${at}.maximum: must be a finite number`);
  if (typeof min === 'number' && typeof max === 'number' && min > max)
    problems.push(`${at}: minimum is greater than maximum`);
}
