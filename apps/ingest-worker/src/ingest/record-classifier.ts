import {
  admitActivityEvent,
  decodeActivityEvent,
  formatProblems,
  type ActivityCatalog,
  type AdmissionPolicy,
  type KafkaMessageLike,
} from '@chronicle/contracts';
import { toActivityEventRow, type ActivityEventRow } from '@chronicle/events-store';

/** Why a record cannot be stored, ever: the DLQ's reason label and stage. */
export const DEAD_LETTER_REASONS = {
  undecodable: { reason: 'undecodable', stage: 'decode' },
  invalid: { reason: 'invalid', stage: 'validate' },
  timeInFuture: { reason: 'time_in_future', stage: 'time-window' },
  storeRejected: { reason: 'store_rejected', stage: 'postgres' },
  invalidErasureRequest: { reason: 'invalid_erasure_request', stage: 'erasure' },
} as const;

/** Why a valid event is not stored (`chronicle_ingest_dropped_total{reason}`). */
export const DROP_REASONS = {
  /** Older than the retention window: it would be deleted at once. */
  expired: 'expired',
  /** Of a user who asked for erasure, timed at or before the request. */
  erased: 'erased',
} as const;

export type RecordVerdict = (
  | { kind: 'store'; row: ActivityEventRow }
  | { kind: 'dead'; reason: string; stage: string; detail: string }
  /** Older than the retention window: it would be deleted at once, so it is counted and dropped. */
  | { kind: 'expired' }
) & {
  /** Read as a structured CloudEvent though it had no content-type header (whatever became of it). */
  structuredInferred: boolean;
};

export interface ClassifyContext {
  catalog: ActivityCatalog;
  nowMs: number;
  /** The contract's admission rule, with the worker's settings (the collector and the SDK apply the same). */
  admission: AdmissionPolicy;
}

/** What to do with one record of the events topic: decode, validate, check its time against the window. */
export function classifyRecord(message: KafkaMessageLike, context: ClassifyContext): RecordVerdict {
  const decoded = decodeActivityEvent(message, context.catalog);
  if (!decoded.ok && decoded.stage === 'decode') {
    const detail = formatProblems(decoded.problems);
    return { kind: 'dead', ...DEAD_LETTER_REASONS.undecodable, detail, structuredInferred: false };
  }
  const structuredInferred = decoded.bindingInferred;
  if (!decoded.ok) {
    const detail = formatProblems(decoded.problems);
    return { kind: 'dead', ...DEAD_LETTER_REASONS.invalid, detail, structuredInferred };
  }
  const admission = admitActivityEvent(decoded.event, context.nowMs, context.admission);
  if (!admission.admitted)
    return admission.reason === 'expired'
      ? { kind: 'expired', structuredInferred }
      : {
          kind: 'dead',
          ...DEAD_LETTER_REASONS.timeInFuture,
          detail: formatProblems([admission.problem]),
          structuredInferred,
        };
  return { kind: 'store', row: toActivityEventRow(decoded.event, context.nowMs), structuredInferred };
}
