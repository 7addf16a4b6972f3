import { DEFAULT_RETENTION_DAYS, MIN_PSEUDONYM_SECRET_BYTES } from '@chronicle/contracts';
import { integer, secret } from './env-schema';

// Data policies that several services must agree on: the same variable, read the same way.

export const PSEUDONYM_SECRET = secret('ANALYTICS_PSEUDONYM_SECRET', {
  minBytes: MIN_PSEUDONYM_SECRET_BYTES,
  description:
    'HMAC key of the analytics pseudonyms: the same for both workers and across restarts (users split in two otherwise). E.g. `openssl rand -hex 32`.',
});

export const RETENTION_DAYS = integer('RETENTION_DAYS', {
  default: DEFAULT_RETENTION_DAYS,
  min: 1,
  max: 3_650,
  description:
    'Days raw events are kept (Postgres partitions, ClickHouse TTL); older events are dropped at ingest.',
});

export const MAX_FUTURE_SKEW_MS = integer('MAX_FUTURE_SKEW_MS', {
  default: 86_400_000,
  min: 0,
  max: 7 * 86_400_000,
  description: 'Events timed further ahead than this are refused: the producer’s clock is wrong.',
});
