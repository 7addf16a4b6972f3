import { ActivityCatalog, getDefaultActivityCatalog } from './activity-catalog';
import {
  parseSentenceTemplate,
  type SentencePart,
  type SentencePlaceholder,
} from './activity-type-definition.check';
import type { ActivityTypeInfo } from './activity-type-definition.types';

/**
 * What describeActivity reads of an activity. The API's records fit, and so does an event as
 * `{ type, ...event.data }`. Stored rows are not trusted to have this shape: any value is rendered.
 */
export interface DescribableActivity {
  type: string;
  actor?: { type: string; id: string } | null;
  entity?: { type: string; id: string } | null;
  metadata?: Record<string, unknown> | null;
}

/** A value longer than this is cut: a sentence is one line of a timeline, metadata can be 1 KB. */
const MAX_VALUE_LENGTH = 80;
const MAX_LIST_ITEMS = 5;
const numbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const templates = new WeakMap<ActivityTypeInfo, SentencePart[]>();

type Fields = Record<string, unknown>;

/**
 * The activity as a short English sentence, from its type's template in `catalog`: "Started
 * downloading app_42 (3.4.1)". A parenthesised part whose value is missing is left out ("Started
 * downloading app_42"); an activity of a type the catalog does not have, or missing a value the
 * template cannot do without, gets its type in words ("Podcast played: ep_9"). Never throws, never
 * returns an empty string: it labels stored data, which a page must show whatever it holds.
 */
export function describeActivity(
  activity: DescribableActivity,
  catalog: ActivityCatalog = getDefaultActivityCatalog(),
): string {
  try {
    const record: Fields = isRecord(activity) ? activity : {};
    const type = record['type'];
    const info = typeof type === 'string' ? catalog.get(type) : undefined;
    const sentence = info && render(templateOf(info), (placeholder) => valueOf(record, placeholder, info));
    return sentence || fallback(type, record['entity']);
  } catch {
    // Only a hostile object (a throwing getter, a proxy) gets here.
    return 'Activity';
  }
}

function templateOf(info: ActivityTypeInfo): SentencePart[] {
  let parts = templates.get(info);
  if (!parts) {
    parts = parseSentenceTemplate(info.sentence).parts;
    templates.set(info, parts);
  }
  return parts;
}

/** The sentence, or undefined when a value outside the parentheses is missing. */
function render(
  parts: readonly SentencePart[],
  valueOf: (placeholder: SentencePlaceholder) => string | undefined,
): string | undefined {
  let out = '';
  for (const part of parts) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'value') {
      const value = valueOf(part.placeholder);
      if (value === undefined) return undefined;
      out += value;
    } else {
      const inner = part.parts.map((segment) =>
        segment.kind === 'text' ? segment.text : valueOf(segment.placeholder),
      );
      // Dropped with the space before it: "Started downloading app_42 (…)" → "Started downloading app_42".
      if (inner.every((value) => value !== undefined)) out += `(${inner.join('')})`;
      else out = out.trimEnd();
    }
  }
  return out.replace(/\s+/g, ' ').trim() || undefined;
}

function valueOf(
  record: Fields,
  placeholder: SentencePlaceholder,
  info: ActivityTypeInfo,
): string | undefined {
  const { source, key } = placeholder;
  const holder = record[source];
  if (!isRecord(holder) || !Object.prototype.hasOwnProperty.call(holder, key)) return undefined;
  const value = holder[key];
  if (source !== 'metadata') return typeof value === 'string' ? text(value) : undefined;
  const field = info.metadataSchema.properties[key];
  // Enum values are words in snake case (`storage_full`), written as words; ids and codes stay as they are.
  const schema = field?.type === 'array' ? field.items : field;
  const words = schema !== undefined && 'enum' in schema && schema.enum !== undefined;
  if (!Array.isArray(value)) return scalar(value, words);
  const items = value
    .slice(0, MAX_LIST_ITEMS)
    .map((item) => scalar(item, words))
    .filter((item) => item !== undefined);
  if (items.length === 0) return undefined;
  const more = value.length - MAX_LIST_ITEMS;
  return more > 0 ? `${items.join(', ')} and ${more} more` : items.join(', ');
}

function scalar(value: unknown, words: boolean): string | undefined {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return Number.isFinite(value) ? numbers.format(value) : undefined;
  if (typeof value !== 'string') return undefined;
  return text(words ? value.replace(/_/g, ' ') : value);
}

/** One line of at most MAX_VALUE_LENGTH characters, or undefined when nothing is left. */
function text(value: string): string | undefined {
  let line = value
    .slice(0, MAX_VALUE_LENGTH * 4)
    .replace(/\s+/g, ' ')
    .trim();
  if (line.length > MAX_VALUE_LENGTH) {
    line = line.slice(0, MAX_VALUE_LENGTH - 1);
    // Not half of a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(line)) line = line.slice(0, -1);
    line += '…';
  }
  return line === '' ? undefined : line;
}

/** "Podcast played: ep_9" for `podcast.played` about `ep_9`; "Activity" when not even a type is known. */
function fallback(type: unknown, entity: unknown): string {
  const name = typeof type === 'string' ? text(type.slice(0, MAX_VALUE_LENGTH).replace(/[._]+/g, ' ')) : '';
  const label = name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Activity';
  const id = isRecord(entity) && typeof entity['id'] === 'string' ? text(entity['id']) : undefined;
  return id === undefined ? label : `${label}: ${id}`;
}

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
