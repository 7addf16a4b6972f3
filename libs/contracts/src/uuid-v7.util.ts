import { randomFillSync } from 'node:crypto';

/*
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 12 bits rand_a, variant 0b10, 62 bits rand_b.
 *
 * Monotonic within the process (RFC 9562 §6.2, method 1): rand_a and the top 30 bits of rand_b hold a
 * 42-bit counter that starts at a random value below 2^41 each new millisecond and is incremented for
 * every further id in the same millisecond; the last 32 bits are fresh random bits. If the clock goes
 * backwards, or the counter runs out (2^41 ids in one millisecond), the previous timestamp is kept or
 * advanced by one: ids never go backwards, at the price of a timestamp slightly ahead of the clock.
 *
 * This runs on the SDK's `log()` hot path, so random bytes come from a pooled buffer refilled by one
 * `randomFillSync` call per few hundred ids, and the string is built from a byte-to-hex table.
 */

const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Two hex digits of a byte (0–255, which every caller guarantees). */
function hex(byte: number): string {
  return HEX[byte] as string;
}

const TWO_POW_30 = 0x40000000;
const TWO_POW_32 = 0x100000000;
const COUNTER_MAX = 2 ** 42 - 1;

let lastMs = -1;
let counter = 0;

/** Takes `count` (≤ 16) random bytes from the pool; returns the offset of the first. */
function takeRandomBytes(count: number): number {
  if (poolOffset + count > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += count;
  return offset;
}

/** A random counter start below 2^41, leaving at least 2^41 increments before it overflows. */
function randomCounterStart(): number {
  const at = takeRandomBytes(6);
  // 9 bits from the first two bytes, 32 from the next four: 41 bits.
  return (pool.readUIntBE(at, 2) % 512) * TWO_POW_32 + pool.readUInt32BE(at + 2);
}

/** A new UUIDv7 string (lowercase, canonical 8-4-4-4-12 form), greater than any earlier one. */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    counter = randomCounterStart();
  } else if (counter < COUNTER_MAX) {
    counter++;
  } else {
    lastMs++;
    counter = randomCounterStart();
  }
  return formatUuidV7(lastMs, counter, pool.readUInt32BE(takeRandomBytes(4)));
}

/**
 * Formats the fields of a UUIDv7: `ms` (48 bits), `counter` (42 bits: rand_a and the top of rand_b),
 * `tail` (32 bits, the end of rand_b). Exposed for deterministic ids in examples and tests.
 */
export function formatUuidV7(ms: number, counter42: number, tail32: number): string {
  const msHigh = Math.floor(ms / TWO_POW_32) & 0xffff;
  const msLow = (ms % TWO_POW_32) >>> 0;
  const randA = Math.floor(counter42 / TWO_POW_30) & 0xfff;
  const counterLow = (counter42 % TWO_POW_30) >>> 0;
  return (
    hex(msHigh >>> 8) +
    hex(msHigh & 0xff) +
    hex(msLow >>> 24) +
    hex((msLow >>> 16) & 0xff) +
    '-' +
    hex((msLow >>> 8) & 0xff) +
    hex(msLow & 0xff) +
    '-' +
    hex(0x70 | (randA >>> 8)) +
    hex(randA & 0xff) +
    '-' +
    hex(0x80 | (counterLow >>> 24)) +
    hex((counterLow >>> 16) & 0xff) +
    '-' +
    hex((counterLow >>> 8) & 0xff) +
    hex(counterLow & 0xff) +
    hex(tail32 >>> 24) +
    hex((tail32 >>> 16) & 0xff) +
    hex((tail32 >>> 8) & 0xff) +
    hex(tail32 & 0xff)
  );
}

/** 0–15 for a hex digit (either case), -1 otherwise. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** hexValue of each ASCII code (-1 for non-hex): one load per character instead of two range tests. */
const HEX_VALUES = Int8Array.from({ length: 128 }, (_, code) => hexValue(code));

/** Whether `value` has only hex digits (either case) in [from, to). */
function isHexRun(value: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || (HEX_VALUES[code] as number) < 0) return false;
  }
  return true;
}

/**
 * The version (0–15) of `value` when it is a UUID in the 8-4-4-4-12 form with the RFC 9562 variant
 * (0b10), otherwise -1. Upper case is accepted, since RFC 9562 says UUIDs compare case-insensitively.
 * Checked character by character, group by group (no per-character test for the dashes' positions):
 * this runs on every validation.
 */
function rfc9562Version(value: unknown): number {
  if (typeof value !== 'string' || value.length !== 36) return -1;
  if (
    value.charCodeAt(8) !== 45 /* - */ ||
    value.charCodeAt(13) !== 45 ||
    value.charCodeAt(18) !== 45 ||
    value.charCodeAt(23) !== 45 ||
    !isHexRun(value, 0, 8) ||
    !isHexRun(value, 9, 13) ||
    !isHexRun(value, 14, 18) ||
    !isHexRun(value, 19, 23) ||
    !isHexRun(value, 24, 36)
  )
    return -1;
  const variant = HEX_VALUES[value.charCodeAt(19)] as number;
  return variant >= 8 && variant <= 11 ? (HEX_VALUES[value.charCodeAt(14)] as number) : -1;
}

/** Whether `value` is a UUID of version 7 with the RFC 9562 variant, in the 8-4-4-4-12 form (either case). */
export function isUuidV7(value: unknown): value is string {
  return rfc9562Version(value) === 7;
}

/**
 * Whether `value` is an RFC 9562 UUID of a defined version, 1 to 8, with the RFC variant, in the
 * 8-4-4-4-12 form (either case): what any UUID library of another language makes. The nil and max
 * UUIDs are refused (their variant bits are not 0b10): they are sentinels, and as an event id the nil
 * UUID is what an id left unset becomes, so accepting it would make unrelated events duplicates of one.
 */
export function isRfc9562Uuid(value: unknown): value is string {
  const version = rfc9562Version(value);
  return version >= 1 && version <= 8;
}

/** The Unix time in milliseconds a UUIDv7 was made at, or undefined when `value` is not a UUIDv7. */
export function uuidV7Timestamp(value: string): number | undefined {
  if (!isUuidV7(value)) return undefined;
  return parseInt(value.slice(0, 8) + value.slice(9, 13), 16);
}
