/*
 * A small YAML writer for JSON-shaped documents (block style, two-space indent), so that the contract
 * needs no YAML library at run time: the gateway serves the AsyncAPI document from the built dist/.
 * Strings that YAML could read as something else are written as JSON strings, which YAML reads back
 * unchanged (a JSON string is a valid double-quoted YAML scalar).
 */

/** Plain scalars limited to characters that never start or end a YAML construct. */
const PLAIN = /^[A-Za-z_$/][A-Za-z0-9_$./+ -]*$/;
/**
 * Multi-line text a literal block reproduces exactly: printable characters, no line starting or ending
 * with a space (the first line's indentation would be misread), no final line break (`|-` strips it).
 */
const LITERAL_BLOCK = /^(?:[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?\n+)+[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;
/** Words YAML 1.1 or 1.2 reads as booleans or null. */
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

/** `value` (objects, arrays, strings, finite numbers, booleans, null) as a YAML document. */
export function toYaml(value: unknown): string {
  if (isCollection(value) && !isEmpty(value)) return `${block(value, '')}\n`;
  return `${scalar(value)}\n`;
}

function block(value: object, indent: string): string {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (isCollection(item) && !isEmpty(item)) {
        // The item's first line follows the dash; the others line up under it.
        lines.push(`${indent}- ${block(item, `${indent}  `).slice(indent.length + 2)}`);
      } else lines.push(`${indent}- ${scalar(item, `${indent}  `)}`);
    }
  } else {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (isCollection(item) && !isEmpty(item)) {
        lines.push(`${indent}${text(key)}:`, block(item, Array.isArray(item) ? indent : `${indent}  `));
      } else lines.push(`${indent}${text(key)}: ${scalar(item, `${indent}  `)}`);
    }
  }
  return lines.join('\n');
}

/** `indent` is where a multi-line string's lines go. */
function scalar(value: unknown, indent = '  '): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`toYaml: ${value} has no JSON form`);
    return String(value);
  }
  if (typeof value === 'string') {
    return LITERAL_BLOCK.test(value) ? literalBlock(value, indent) : text(value);
  }
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  throw new TypeError(`toYaml: cannot write a ${typeof value}`);
}

/** A literal block (`|-`) keeps each line as is: prose stays readable in the file. */
function literalBlock(value: string, indent: string): string {
  return `|-\n${value
    .split('\n')
    .map((line) => (line === '' ? '' : `${indent}${line}`))
    .join('\n')}`;
}

function text(value: string): string {
  return PLAIN.test(value) && !value.endsWith(' ') && !RESERVED.test(value) ? value : JSON.stringify(value);
}

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function isEmpty(value: object): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}
