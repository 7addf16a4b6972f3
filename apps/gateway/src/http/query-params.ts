import { parseRfc3339 } from '@chronicle/contracts';
import { FieldError } from './field-error';
import { isPlainText } from './plain-text';

/** A request's query string as Express parses it: a repeated key is an array. */
export type Query = Record<string, unknown>;

const MAX_TEXT_PARAM_LENGTH = 256;

/** A single optional string; a repeated or over-long one is a 400. */
export function textParam(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new FieldError(name, 'must be given once, as text');
  if (value.length > MAX_TEXT_PARAM_LENGTH)
    throw new FieldError(name, `must be at most ${MAX_TEXT_PARAM_LENGTH} characters`);
  if (!isPlainText(value)) throw new FieldError(name, PLAIN_TEXT_REASON);
  return value;
}

const PLAIN_TEXT_REASON = 'must be text without control characters (no NUL, tab or line break)';

/** `?type=a,b&type=c` → ['a', 'b', 'c']; undefined when absent. */
export function listParam(query: Query, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((part) => {
    if (typeof part !== 'string') throw new FieldError(name, 'must be text');
    if (part.length > MAX_TEXT_PARAM_LENGTH * 10)
      throw new FieldError(name, `must be at most ${MAX_TEXT_PARAM_LENGTH * 10} characters`);
    if (!isPlainText(part)) throw new FieldError(name, PLAIN_TEXT_REASON);
    return part.split(',');
  });
  const list = parts.map((part) => part.trim()).filter(Boolean);
  if (list.length > 100) throw new FieldError(name, 'takes at most 100 values');
  return list.length > 0 ? list : undefined;
}

export function integerParam(
  query: Query,
  name: string,
  options: { fallback: number; min: number; max: number },
): number {
  const text = textParam(query, name);
  if (text === undefined) return options.fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < options.min || value > options.max)
    throw new FieldError(name, `must be an integer from ${options.min} to ${options.max}`);
  return value;
}

/** A comma-separated list of integers (`days=1,7,30`), each from `min` to `max`; undefined when absent. */
export function integerListParam(
  query: Query,
  name: string,
  options: { min: number; max: number },
): number[] | undefined {
  return listParam(query, name)?.map((text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < options.min || value > options.max)
      throw new FieldError(name, `must be integers from ${options.min} to ${options.max}, comma-separated`);
    return value;
  });
}

/** An RFC 3339 time, or a `YYYY-MM-DD` date meaning that day's 00:00 UTC. */
export function timeParam(query: Query, name: string): Date | undefined {
  const text = textParam(query, name);
  if (text === undefined) return undefined;
  const ms = parseRfc3339(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (ms === undefined)
    throw new FieldError(name, 'must be an RFC 3339 time (2026-11-22T10:00:00Z) or a date (2026-11-22)');
  return new Date(ms);
}

/** One of `choices`, or the first when absent. */
export function choiceParam<T extends string>(query: Query, name: string, choices: readonly T[]): T {
  const text = textParam(query, name);
  if (text === undefined) return choices[0] as T;
  if (!choices.includes(text as T)) throw new FieldError(name, `must be one of ${choices.join(', ')}`);
  return text as T;
}
