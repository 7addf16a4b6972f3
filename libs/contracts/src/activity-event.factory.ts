import {
  ActivityData,
  ActivityEvent,
  ActivityInput,
  CLOUDEVENTS_SPEC_VERSION,
  DATA_CONTENT_TYPE,
} from './activity-event.types';
import { formatEventTime, parseRfc3339 } from './rfc3339.util';
import { uuidv7 } from './uuid-v7.util';

export interface ToActivityEventOptions {
  /** The producing service, e.g. `/services/app-catalog`. */
  source: string;
  /** Defaults to a new UUIDv7. */
  id?: string;
  /** "Now" for inputs without a time; defaults to the clock. */
  time?: Date | string;
}

/**
 * Builds the CloudEvent for what an SDK caller passed. It does not validate (the SDK validates the
 * result, so one function reports every problem), and it copies nothing it does not need to: metadata
 * and context are the caller's objects. Times are normalised to UTC with milliseconds when they are
 * valid; an invalid time is kept as given so that validation names it.
 */
export function toActivityEvent(input: ActivityInput, options: ToActivityEventOptions): ActivityEvent {
  const { actor, entity } = input;
  const metadata = input.metadata ?? {};
  const data: ActivityData = entity === undefined ? { actor, metadata } : { actor, entity, metadata };
  if (input.context !== undefined) data.context = input.context;

  const subject = input.subject ?? (entity !== undefined ? `${entity.type}/${entity.id}` : undefined);
  const id = options.id ?? uuidv7();
  const time = normaliseTime(input.time ?? options.time);
  // Two literals rather than a conditional spread (slow on this hot path); no `subject: undefined`, so
  // that the event survives a JSON round trip unchanged.
  return subject === undefined
    ? {
        specversion: CLOUDEVENTS_SPEC_VERSION,
        id,
        source: options.source,
        type: input.type,
        time,
        datacontenttype: DATA_CONTENT_TYPE,
        data,
      }
    : {
        specversion: CLOUDEVENTS_SPEC_VERSION,
        id,
        source: options.source,
        type: input.type,
        time,
        subject,
        datacontenttype: DATA_CONTENT_TYPE,
        data,
      };
}

function normaliseTime(time: Date | string | undefined): string {
  if (time === undefined) return formatEventTime(Date.now()) as string;
  if (typeof time !== 'string') return formatEventTime(time) ?? String(time);
  const ms = parseRfc3339(time);
  return (ms !== undefined ? formatEventTime(ms) : undefined) ?? time;
}
