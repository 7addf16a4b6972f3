import { describeActivity, getDefaultActivityCatalog, type ActivityCatalog } from '@chronicle/contracts';
import type { ActivityRecord } from '@chronicle/events-store';
import { FieldError } from '../http/field-error';

/** An activity as timelines serve it: the stored fields, and a sentence that says what happened. */
export type TimelineActivity = ActivityRecord & {
  /** From the type's catalog template: "Started downloading app_42 (3.4.1)". */
  sentence: string;
};

export interface TimelineDay {
  /** The local date, `YYYY-MM-DD`, in the requested time zone. */
  date: string;
  activities: TimelineActivity[];
}

/** The record with its sentence; an unknown type still gets one (its name in words). */
export function withSentence(
  activity: ActivityRecord,
  catalog: ActivityCatalog = getDefaultActivityCatalog(),
): TimelineActivity {
  return { ...activity, sentence: describeActivity(activity, catalog) };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of local dates in `timeZone` (an IANA name such as `Europe/Paris`); 400 for an unknown zone. */
export function localDateFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter) return formatter;
  try {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    throw new FieldError('tz', 'must be an IANA time zone such as Europe/Paris or UTC');
  }
  if (formatters.size < 1_000) formatters.set(timeZone, formatter);
  return formatter;
}

/**
 * Groups a page of activities (newest first) by local date, keeping the order, each with its sentence.
 * A day can continue on the next page: the client appends to its last group when the next page starts
 * with the same date.
 */
export function groupByLocalDate(
  activities: readonly ActivityRecord[],
  timeZone: string,
  catalog: ActivityCatalog = getDefaultActivityCatalog(),
): TimelineDay[] {
  const formatter = localDateFormatter(timeZone);
  const days: TimelineDay[] = [];
  for (const record of activities) {
    const date = formatter.format(new Date(record.occurredAt));
    const activity = withSentence(record, catalog);
    const last = days.at(-1);
    if (last?.date === date) last.activities.push(activity);
    else days.push({ date, activities: [activity] });
  }
  return days;
}
