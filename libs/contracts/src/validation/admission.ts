import type { ActivityEvent } from '../activity-event.types';
import { parseRfc3339 } from '../rfc3339.util';
import type { ValidationProblem } from './validation-problem.types';

/**
 * What the pipeline stores besides a valid event: its time inside the window the stores keep,
 * measured on the admitting clock. One rule, here, so that "accepted" by the SDK or the collector
 * means "stored" by the ingest worker (which applies the same rule with the same settings).
 */
export interface AdmissionPolicy {
  /** How far ahead of the clock an event may be timed (a producer's clock can run ahead). */
  maxFutureMs: number;
  /** Events older than this are past retention: they would be deleted at once. */
  retentionDays: number;
}

/** The pipeline's defaults: MAX_FUTURE_SKEW_MS and RETENTION_DAYS of the services. */
export const DEFAULT_ADMISSION_POLICY: AdmissionPolicy = { maxFutureMs: 86_400_000, retentionDays: 90 };

const DAY_MS = 86_400_000;

export type AdmissionVerdict =
  | { admitted: true }
  | {
      admitted: false;
      /** The DLQ or drop reason the ingest worker files it under. */
      reason: 'time_in_future' | 'expired';
      problem: ValidationProblem;
    };

/**
 * Whether a valid event will be stored when it is admitted at `nowMs`: not timed more than
 * `maxFutureMs` ahead, not older than the retention window. An event whose time does not parse is
 * not this rule's business (validation refuses it) and is admitted.
 */
export function admitActivityEvent(
  event: Pick<ActivityEvent, 'time'>,
  nowMs: number,
  policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY,
): AdmissionVerdict {
  const timeMs = parseRfc3339(event.time);
  if (timeMs === undefined) return { admitted: true };
  if (timeMs > nowMs + policy.maxFutureMs)
    return {
      admitted: false,
      reason: 'time_in_future',
      problem: {
        path: 'time',
        message: `more than ${policy.maxFutureMs} ms ahead of the clock; it would not be stored`,
      },
    };
  if (timeMs < nowMs - policy.retentionDays * DAY_MS)
    return {
      admitted: false,
      reason: 'expired',
      problem: {
        path: 'time',
        message: `older than the ${policy.retentionDays}-day retention window; it would not be stored`,
      },
    };
  return { admitted: true };
}
