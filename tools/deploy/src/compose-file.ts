import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  restart?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** A compose file as compose reads it: `<<` merge keys resolved, `${…}` left for `interpolate`. */
export function readCompose(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** Thrown for `${VAR:?message}` (or `${VAR?message}`) when VAR is missing, as compose refuses to start. */
export class MissingVariableError extends Error {}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Compose's interpolation of one value: `$$` is a `$`; `${VAR}` and `$VAR`; `${VAR:-default}` (unset
 * or empty) and `${VAR-default}` (unset); `${VAR:?message}` and `${VAR?message}` throw. Defaults are
 * not interpolated again (this file has no nested references).
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(
    REFERENCE,
    (whole, braced?: string, colon?: string, kind?: string, word?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare) as string;
      const value = env[name];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!missing || kind === undefined) return value ?? '';
      if (kind === '-') return word ?? '';
      throw new MissingVariableError(`${name}: ${word}`);
    },
  );
}

/** Every string of a parsed YAML value, interpolated; for finding what compose would refuse. */
export function interpolateAll(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]));
  return value;
}
