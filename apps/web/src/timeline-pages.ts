/** A day of the timeline, as `GET /api/users/me/activity` groups it (local date in the asked time zone). */
export interface TimelineGroup<T> {
  date: string;
  activities: T[];
}

/**
 * Appends the next page's groups to the ones shown. A day can continue on the next page: its
 * activities join the last group rather than starting a second heading of the same date.
 */
export function appendTimelinePage<T>(
  shown: TimelineGroup<T>[],
  page: TimelineGroup<T>[],
): TimelineGroup<T>[] {
  const groups = shown.map((group) => ({ date: group.date, activities: [...group.activities] }));
  for (const group of page) {
    const last = groups[groups.length - 1];
    if (last && last.date === group.date) last.activities.push(...group.activities);
    else groups.push({ date: group.date, activities: [...group.activities] });
  }
  return groups;
}

/** "Today", "Yesterday" or the date written out, for a `YYYY-MM-DD` heading in the browser's locale. */
export function dayHeading(date: string, today: string, locale?: string): string {
  if (date === today) return 'Today';
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  if (date === yesterday) return 'Yesterday';
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** Today's `YYYY-MM-DD` in a time zone. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * The time zone the timeline is grouped and written in: the browser's (`Intl.DateTimeFormat()
 * .resolvedOptions().timeZone`), or UTC when the browser names none or one Intl cannot use (some
 * systems report `Etc/Unknown`, which would make every date format throw).
 */
export function timelineTimeZone(browserZone: string | undefined): string {
  if (!browserZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: browserZone });
    return browserZone;
  } catch {
    return 'UTC';
  }
}

/** The time of day of an RFC 3339 instant in a time zone, hours and minutes, in the browser's locale. */
export function timeOfDay(occurredAt: string, timeZone: string, locale?: string): string {
  return new Date(occurredAt).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
}
