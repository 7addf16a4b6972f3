import { readFileSync } from 'node:fs';

/** A configuration value that is missing or wrong; its message names the variable. */
export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable: how it is read and checked, and what the docs say about it. The same
 * object gives the service its value, `.env.example` its line, docs/configuration.md its row and the
 * compose check its default, so none of them can drift from the code.
 */
export interface EnvVariable<T> {
  readonly name: string;
  readonly description: string;
  /** What is accepted, in a few words ("integer 1 to 3650", "true or false"). */
  readonly format: string;
  /** The value used when the variable is unset, as it would be written; undefined: none. */
  readonly defaultText: string | undefined;
  /** A service refuses to start without it. */
  readonly required: boolean;
  /** Never logged; `.env.example` leaves it empty. */
  readonly secret: boolean;
  /** A value for `.env.example` where the default would not show what to write. */
  readonly example: string | undefined;
  /** The value, or a ConfigError naming the variable. Unset and empty are the same. */
  read(env: Env): T;
}

export type EnvSchema = Readonly<Record<string, EnvVariable<unknown>>>;
export type EnvValues<S extends EnvSchema> = {
  [K in keyof S]: S[K] extends EnvVariable<infer T> ? T : never;
};

interface Common {
  description: string;
  example?: string;
}

function variable<T>(
  name: string,
  common: Common,
  shape: { format: string; defaultText?: string; required?: boolean; secret?: boolean },
  parse: (text: string | undefined) => T,
): EnvVariable<T> {
  return {
    name,
    description: common.description,
    format: shape.format,
    defaultText: shape.defaultText,
    required: shape.required ?? false,
    secret: shape.secret ?? false,
    example: common.example,
    read(env) {
      const text = env[name];
      return parse(text === undefined || text.trim() === '' ? undefined : text);
    },
  };
}

function missing(name: string): ConfigError {
  return new ConfigError(`${name} must be set`);
}

/** An integer within [min, max]. */
export function integer(
  name: string,
  options: Common & { default: number; min: number; max: number },
): EnvVariable<number> {
  return variable(
    name,
    options,
    { format: `integer ${options.min} to ${options.max}`, defaultText: String(options.default) },
    (text) => {
      if (text === undefined) return options.default;
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (!/^-?\d+$/.test(trimmed) || value < options.min || value > options.max)
        throw new ConfigError(
          `${name} must be an integer from ${options.min} to ${options.max}, got "${trimmed}"`,
        );
      return value;
    },
  );
}

/** `true` or `false`, any case; unset is false. */
export function flag(name: string, options: Common): EnvVariable<boolean> {
  return variable(name, options, { format: 'true or false', defaultText: 'false' }, (text) => {
    const value = (text ?? 'false').trim().toLowerCase();
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new ConfigError(`${name} must be true or false, got "${text?.trim()}"`);
  });
}

/** Free text with a default. */
export function text(
  name: string,
  options: Common & {
    default: string;
    pattern?: RegExp;
    patternText?: string;
    check?: (value: string) => string | undefined;
  },
): EnvVariable<string> {
  return variable(
    name,
    options,
    { format: options.patternText ?? 'text', defaultText: options.default },
    (value) => {
      const result = value ?? options.default;
      if (options.pattern && !options.pattern.test(result))
        throw new ConfigError(
          `${name} must be ${options.patternText ?? options.pattern.source}, got "${result}"`,
        );
      const problem = options.check?.(result);
      if (problem) throw new ConfigError(`${name} ${problem}`);
      return result;
    },
  );
}

/** Text that may be left unset (undefined then). `secret` values are never logged. */
export function optionalText(
  name: string,
  options: Common & { secret?: boolean; format?: string; check?: (value: string) => string | undefined },
): EnvVariable<string | undefined> {
  return variable(name, options, { format: options.format ?? 'text', secret: options.secret }, (value) => {
    if (value === undefined) return undefined;
    const problem = options.check?.(value);
    if (problem) throw new ConfigError(`${name} ${problem}`);
    return value;
  });
}

/** A required secret of at least `minBytes` bytes. */
export function secret(name: string, options: Common & { minBytes: number }): EnvVariable<string> {
  return variable(
    name,
    options,
    { format: `${options.minBytes}+ bytes`, required: true, secret: true },
    (value) => {
      if (value === undefined) throw missing(name);
      if (Buffer.byteLength(value) < options.minBytes)
        throw new ConfigError(`${name} must be at least ${options.minBytes} bytes`);
      return value;
    },
  );
}

/** A URL of one of `schemes` (without `://`); required unless it has a default. */
export function url(
  name: string,
  options: Common & { schemes: readonly string[]; default?: string },
): EnvVariable<string> {
  const schemes = options.schemes.map((scheme) => `${scheme}://`).join(' or ');
  const problem = `must be a URL starting with ${schemes}`;
  return variable(
    name,
    options,
    { format: `${schemes} URL`, defaultText: options.default, required: options.default === undefined },
    (value) => {
      const result = value?.trim() ?? options.default;
      if (result === undefined) throw missing(name);
      let parsed: URL;
      try {
        parsed = new URL(result);
      } catch {
        throw new ConfigError(`${name} ${problem}`);
      }
      if (!options.schemes.includes(parsed.protocol.slice(0, -1)))
        throw new ConfigError(`${name} ${problem}`);
      return result;
    },
  );
}

/** One of `values`, or undefined when unset and there is no default. */
export function oneOf<V extends string>(
  name: string,
  values: readonly V[],
  options: Common & { default?: V },
): EnvVariable<V | undefined> {
  return variable(name, options, { format: values.join(' | '), defaultText: options.default }, (value) => {
    const result = value?.trim().toLowerCase() ?? options.default;
    if (result !== undefined && !values.includes(result as V))
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${value?.trim()}"`);
    return result as V | undefined;
  });
}

/** Comma-separated items, each checked by `item` (which returns a problem, or undefined). */
export function list(
  name: string,
  options: Common & {
    default?: string;
    format: string;
    required?: boolean;
    item?: (value: string) => string | undefined;
  },
): EnvVariable<string[]> {
  const shape = { format: options.format, defaultText: options.default, required: options.required };
  return variable(name, options, shape, (value) => {
    const items = (value ?? options.default ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (options.required && items.length === 0)
      throw new ConfigError(`${name} must be set (${options.format})`);
    for (const each of items) {
      const problem = options.item?.(each);
      if (problem) throw new ConfigError(`${name}: "${each}" ${problem}`);
    }
    return items;
  });
}

/** The contents of a file named by the variable (a PEM certificate or key), or undefined when unset. */
export function fileContents(name: string, options: Common): EnvVariable<string | undefined> {
  return variable(name, options, { format: 'file path' }, (path) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path.trim(), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`${name}: cannot read ${path} (${code})`);
    }
  });
}

/**
 * Every variable of `schema` read from `env`. All problems are reported at once, each naming its
 * variable, so a deployment is fixed in one round rather than one variable per restart.
 */
export function readEnv<S extends EnvSchema>(schema: S, env: Env): EnvValues<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    try {
      values[key] = spec.read(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return values as EnvValues<S>;
}
