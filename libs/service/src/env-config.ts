import { MIN_PSEUDONYM_SECRET_BYTES } from '@chronicle/contracts';

/** A configuration value that is missing or wrong; its message names the variable. */
export class ConfigError extends Error {}

export type Env = Readonly<Record<string, string | undefined>>;

export function requiredEnv(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} must be set`);
  return value;
}

/** An integer variable within [min, max], or `fallback` when unset. */
export function integerEnv(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

/** A `true` / `false` variable; unset or empty is false. */
export function booleanEnv(env: Env, name: string): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new ConfigError(`${name} must be true or false`);
}

/** Runs a parser that throws plain errors (e.g. a broker list's), as a ConfigError. */
export function configValue<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** A required `postgres://` (or `postgresql://`) URL, e.g. DATABASE_URL. */
export function postgresUrlEnv(env: Env, name: string): string {
  const url = requiredEnv(env, name);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`${name} must be a postgres:// URL`);
  return url;
}

/** A required `http://` or `https://` URL, e.g. CLICKHOUSE_URL. */
export function httpUrlEnv(env: Env, name: string): string {
  const url = requiredEnv(env, name);
  if (!/^https?:\/\//.test(url)) throw new ConfigError(`${name} must be an http(s):// URL`);
  return url;
}

/**
 * ANALYTICS_PSEUDONYM_SECRET: the key of the analytics pseudonyms. Both workers need the same one —
 * the analytics worker writes pseudonyms, the ingest worker the table that resolves them.
 */
export function pseudonymSecretEnv(env: Env): string {
  const secret = requiredEnv(env, 'ANALYTICS_PSEUDONYM_SECRET');
  if (Buffer.byteLength(secret) < MIN_PSEUDONYM_SECRET_BYTES)
    throw new ConfigError(`ANALYTICS_PSEUDONYM_SECRET must be at least ${MIN_PSEUDONYM_SECRET_BYTES} bytes`);
  return secret;
}
