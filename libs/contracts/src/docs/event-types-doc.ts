import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActivityCatalog, getDefaultActivityCatalog } from '../catalog/activity-catalog';
import { describeActivity } from '../catalog/activity-sentence';
import {
  ACTIVITY_CATEGORIES,
  ActivityCategory,
  ActivityTypeInfo,
  MetadataFieldSchema,
} from '../catalog/activity-type-definition.types';
import { TOPICS } from '../topics.constants';
import { CONTEXT_KEYS, MAX_ID_LENGTH } from '../validation/activity-event.validator';

/*
 * docs/event-types.md is rendered from the catalog, so the page cannot drift from what validation
 * enforces; a spec fails when the committed file differs from this render.
 */

/** Where the page lives, relative to the repository root. */
export const EVENT_TYPES_DOC_PATH = 'docs/event-types.md';
export const EVENT_TYPES_DOC_COMMAND = 'npm run docs:event-types';

const CATEGORY_TITLES: Readonly<Record<ActivityCategory, string>> = {
  'user-activity': 'User activity',
  'system-operations': 'System and operations',
};

/** The Markdown of docs/event-types.md for `catalog`. Deterministic: same catalog, same bytes. */
export function renderEventTypesDoc(catalog: ActivityCatalog = getDefaultActivityCatalog()): string {
  const definitions = catalog.definitions();
  const out: string[] = [
    `<!-- Generated from the activity type catalog in libs/contracts by \`${EVENT_TYPES_DOC_COMMAND}\`. Do not edit. -->`,
    '',
    '# Activity event types',
    '',
    `> This page is generated from the catalog in \`libs/contracts/src/catalog\`. After changing the catalog, run`,
    `> \`${EVENT_TYPES_DOC_COMMAND}\` (it runs \`npx tsx libs/contracts/src/docs/write-event-types-doc.main.ts\`);`,
    '> a test fails while this page is out of date.',
    '',
    `Every record on \`${TOPICS.events}\` is a [CloudEvents 1.0](https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md)`,
    'event. Producers use the Kafka binary binding (attributes in `ce_*` headers, the value is the JSON `data`);',
    'consumers also accept the structured binding (the whole event as the JSON value, with',
    '`content-type: application/cloudevents+json` or no content-type at all). The Kafka key is the actor id, so',
    "that one actor's events stay in order. [Publishing from outside Node](producers.md) shows both from kcat,",
    'Python and Java.',
    '',
    '| attribute | rule |',
    '| --- | --- |',
    '| `specversion` | `"1.0"` |',
    '| `id` | an RFC 9562 UUID (versions 1–8; not the nil or max UUID) made by the producer; the idempotency key everywhere downstream. The SDK makes UUIDv7s, which sort by time: recommended |',
    '| `source` | a URI-reference naming the producing service, e.g. `/services/app-catalog` |',
    '| `type` | one of the types below |',
    '| `time` | when it happened, RFC 3339; producers emit UTC with milliseconds (`2026-11-22T01:53:46.123Z`), any valid offset is accepted |',
    '| `subject` | optional; `<entity type>/<entity id>`, and then it must name `data.entity` |',
    '| `datacontenttype` | `"application/json"` |',
    `| \`data.actor\` | \`{ "type": "user" \\| "system" \\| "service", "id": string }\`; ids are opaque, 1–${MAX_ID_LENGTH} characters, never personal data (see below) |`,
    '| `data.entity` | `{ "type": string, "id": string }`: required when the type names an entity, absent otherwise |',
    "| `data.metadata` | a JSON object valid against the type's metadata fields; no other keys |",
    `| \`data.context\` | optional; only ${CONTEXT_KEYS.map((k) => `\`${k}\``).join(', ')} (strings), never an IP address or a user agent |`,
    '',
    'No personal data: an actor id, an entity id, or a string in metadata or context that looks like an e-mail',
    'address, a phone number, an IP address or a payment card number makes the event invalid, with the path',
    '(`data.actor.id: looks like a phone number (ids must be opaque)`). The SDK, the collector and both workers run',
    'the same check. Digits alone do not make an id personal: numeric ids, UUIDs and snowflakes pass, though an id',
    'of 13–19 digits starting with 2–6 that passes the Luhn check reads as a card number.',
    '`validateActivityEvent` of `@chronicle/contracts` checks all of this and reports every problem with its path.',
    '',
    'Deployments add their own types by configuration (`createActivityCatalog(extraDefinitions)`); filters accept an',
    'exact type (`app.viewed`) or a prefix (`download.*`).',
    '',
    "Each type has a timeline sentence: a short English template that `describeActivity` renders for people's",
    'timelines. It names values as `{entity.id}`, `{entity.type}`, `{actor.id}` and `{metadata.<key>}`; a part in',
    'parentheses is left out when its value is missing, so optional metadata goes there.',
    '',
    '## Contents',
    '',
  ];
  for (const category of ACTIVITY_CATEGORIES) {
    const inCategory = definitions.filter((d) => d.category === category);
    if (inCategory.length === 0) continue;
    out.push(`${CATEGORY_TITLES[category]}:`, '');
    for (const d of inCategory) out.push(`- [\`${d.type}\`](#${anchor(d.type)}): ${d.meaning}`);
    out.push('');
  }
  for (const category of ACTIVITY_CATEGORIES) {
    const inCategory = definitions.filter((d) => d.category === category);
    if (inCategory.length === 0) continue;
    out.push(`## ${CATEGORY_TITLES[category]}`, '');
    for (const d of inCategory) out.push(...renderType(d, catalog));
  }
  return out.join('\n');
}

/** GitHub's heading anchor for "### `type`": lower case, punctuation other than `-` and `_` dropped. */
function anchor(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9_-]/g, '');
}

function renderType(d: ActivityTypeInfo, catalog: ActivityCatalog): string[] {
  const properties = d.metadataSchema.properties;
  const required = new Set(d.metadataSchema.required ?? []);
  const analytics = new Set(d.analyticsKeys);
  const out = [
    `### \`${d.type}\``,
    '',
    d.meaning,
    '',
    `- Timeline sentence: ${inlineCode(d.sentence)}; the example reads “${describeActivity({ type: d.type, ...d.example.data }, catalog)}”`,
    `- Actor types: ${d.actorTypes.map((t) => `\`${t}\``).join(', ')}`,
    `- Entity: ${d.entityType === undefined ? 'none' : `\`${d.entityType}\` (required)`}`,
    `- Retention: ${d.retentionDays} days`,
    ...(d.audit
      ? ["- Audit record: survives its actor's own erasure until its retention ends (docs/privacy.md)"]
      : []),
    '',
    '| metadata field | type | constraints | required | kept for analytics | meaning |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, field] of Object.entries(properties)) {
    out.push(
      `| \`${name}\` | ${fieldType(field)} | ${cell(constraints(field))} | ${required.has(name) ? 'yes' : 'no'} | ${
        analytics.has(name) ? 'yes' : 'no'
      } | ${cell(field.description)} |`,
    );
  }
  out.push(
    '',
    'Example event (structured JSON):',
    '',
    '```json',
    JSON.stringify(d.example, null, 2),
    '```',
    '',
  );
  out.push('Logged with the SDK:', '', '```ts', sdkCall(d), '```', '');
  return out;
}

/** Inline code that may itself hold a backtick. */
function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function fieldType(field: MetadataFieldSchema): string {
  return field.type === 'array' ? `\`${field.items.type}[]\`` : `\`${field.type}\``;
}

function constraints(
  field: MetadataFieldSchema | (MetadataFieldSchema & { type: 'array' })['items'],
): string {
  const parts: string[] = [];
  switch (field.type) {
    case 'string':
      if (field.enum !== undefined) parts.push(`one of ${field.enum.map((v) => `\`${v}\``).join(', ')}`);
      if (field.minLength === 1) parts.push('not empty');
      else if (field.minLength !== undefined) parts.push(`at least ${plural(field.minLength, 'character')}`);
      if (field.maxLength !== undefined) parts.push(`at most ${plural(field.maxLength, 'character')}`);
      if (field.pattern !== undefined) parts.push(`matches \`${field.pattern}\``);
      break;
    case 'integer':
    case 'number':
      if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
      if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
      break;
    case 'array': {
      parts.push(`${field.minItems ?? 0}–${field.maxItems} items`);
      if (field.uniqueItems === true) parts.push('no duplicates');
      const each = constraints(field.items);
      if (each !== '') parts.push(`each ${each}`);
      break;
    }
  }
  return parts.join(', ');
}

function plural(n: number, noun: string): string {
  return n === 1 ? `1 ${noun}` : `${n} ${noun}s`;
}

/** Table cells cannot contain a raw `|` or a line break. */
function cell(text: string): string {
  return text === '' ? '' : text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `activity.log({ ... })` for the example, as one line of TypeScript. */
function sdkCall(d: ActivityTypeInfo): string {
  const { data } = d.example;
  const input: Record<string, unknown> = { type: d.type, actor: data.actor };
  if (data.entity !== undefined) input['entity'] = data.entity;
  input['metadata'] = data.metadata;
  if (data.context !== undefined) input['context'] = data.context;
  return `activity.log(${jsLiteral(input)});`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JavaScript literal in the project's style: single quotes, unquoted keys where possible. */
export function jsLiteral(value: unknown): string {
  if (typeof value === 'string')
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (Array.isArray(value)) return `[${value.map(jsLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${IDENTIFIER.test(k) ? k : jsLiteral(k)}: ${jsLiteral(v)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

/** Writes the page under `repoRoot`; returns its path. */
export function writeEventTypesDoc(repoRoot: string, catalog?: ActivityCatalog): string {
  const path = join(repoRoot, EVENT_TYPES_DOC_PATH);
  writeFileSync(path, renderEventTypesDoc(catalog));
  return path;
}
