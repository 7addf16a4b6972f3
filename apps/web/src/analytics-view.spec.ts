import fc from 'fast-check';
import {
  analyticsTimeZone,
  analyticsUrl,
  averageRatio,
  completeOnDays,
  daysBetween,
  definitionLine,
  formatCount,
  formatPercent,
  isTimeZone,
  lastDays,
  mixSeries,
  onDays,
  RETENTION_MODE_NAMES,
  RETENTION_MODES,
  retentionMode,
  retentionModeText,
  retentionShade,
  soFar,
  splitByCompleteness,
  timeZoneChoices,
  todayIn,
} from './analytics-view';

describe('analytics figures for the page', () => {
  it('makes ranges of days', () => {
    expect(lastDays(7, '2026-11-22')).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('puts a series on the days, 0 where nobody was active', () => {
    expect(
      onDays(
        ['a', 'b', 'c'],
        [
          { day: 'c', users: 3, complete: true },
          { day: 'a', users: 1, complete: true },
        ],
      ),
    ).toEqual([1, 0, 3]);
  });

  it('turns the mix into one series per type, busiest first, ignoring days outside the range', () => {
    expect(
      mixSeries(
        ['d1', 'd2'],
        [
          { day: 'd1', activityType: 'b', events: 1, complete: true },
          { day: 'd2', activityType: 'a', events: 5, complete: true },
          { day: 'd2', activityType: 'b', events: 1, complete: true },
          { day: 'd9', activityType: 'c', events: 100, complete: true },
          { day: 'd1', activityType: 'c', events: 2, complete: true },
        ],
      ),
    ).toEqual([
      { type: 'a', values: [0, 5], total: 5 },
      { type: 'b', values: [1, 1], total: 2 },
      { type: 'c', values: [2, 0], total: 2 },
    ]);
  });

  it('formats counts and rates', () => {
    expect(formatCount(12345, 'en-US')).toBe('12,345');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(undefined)).toBe('–');
  });

  it('averages the known stickiness ratios', () => {
    expect(averageRatio([])).toBeNull();
    expect(
      averageRatio([
        { day: 'a', dau: 1, mau: 2, ratio: 0.5, complete: true },
        { day: 'b', dau: 0, mau: 0, ratio: null, complete: true },
        { day: 'c', dau: 1, mau: 4, ratio: 0.25, complete: true },
      ]),
    ).toBe(0.375);
  });

  it('shades retention cells darker for higher rates, with readable text', () => {
    expect(retentionShade(null)).toBeNull();
    expect(retentionShade(0)).toEqual({ background: 'hsl(213 80% 96%)', color: '#0b1f33' });
    expect(retentionShade(1)).toEqual({ background: 'hsl(213 80% 36%)', color: '#fff' });
    expect(retentionShade(2)).toEqual(retentionShade(1));
  });

  it("takes today from the zone's calendar, not UTC's", () => {
    // 2026-03-29 00:30 UTC: still the 28th in New York, already the 29th in Berlin (after its DST change).
    const now = new Date('2026-03-29T00:30:00Z');
    expect(todayIn('UTC', now)).toBe('2026-03-29');
    expect(todayIn('America/New_York', now)).toBe('2026-03-28');
    expect(todayIn('Europe/Berlin', now)).toBe('2026-03-29');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-12-31T10:00:00Z'))).toBe('2027-01-01');
    expect(todayIn('Pacific/Pago_Pago', new Date('2026-01-01T10:00:00Z'))).toBe('2025-12-31');
  });

  it('is today in a zone what Intl says the date is there, for any instant', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati'];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, zone) => {
          const day = todayIn(zone, new Date(ms));
          expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(day).toBe(new Date(ms).toLocaleDateString('sv-SE', { timeZone: zone }));
          // Never more than 14 hours from UTC's date: the day before, the same or the day after.
          const utc = new Date(ms).toISOString().slice(0, 10);
          expect(
            Math.abs(Date.parse(`${day}T00:00:00Z`) - Date.parse(`${utc}T00:00:00Z`)),
          ).toBeLessThanOrEqual(86_400_000);
        },
      ),
    );
  });

  it("takes the URL's zone when Intl knows it, else the browser's, else UTC", () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(null)).toBe(false);
    expect(analyticsTimeZone('Asia/Tokyo', 'Europe/Berlin')).toBe('Asia/Tokyo');
    expect(analyticsTimeZone(null, 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(analyticsTimeZone('Mars/Olympus', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(analyticsTimeZone(null, 'Etc/Unknown')).toBe('UTC');
    expect(analyticsTimeZone(undefined, undefined)).toBe('UTC');
  });

  it("offers the browser's zone first, then UTC and common zones, keeping the current one, without repeats", () => {
    const choices = timeZoneChoices('Europe/Berlin', 'Europe/Berlin');
    expect(choices.slice(0, 2)).toEqual(['Europe/Berlin', 'UTC']);
    expect(new Set(choices).size).toBe(choices.length);
    expect(timeZoneChoices('UTC', 'Asia/Singapore')).toEqual(
      expect.arrayContaining(['UTC', 'Asia/Singapore', 'America/New_York']),
    );
    expect(timeZoneChoices('UTC', 'Asia/Singapore')[0]).toBe('UTC');
    for (const zone of timeZoneChoices('UTC', 'UTC')) expect(isTimeZone(zone)).toBe(true);
  });

  it('reads the retention mode, calendar by default, and says what each one counts', () => {
    expect(retentionMode(null)).toBe('calendar');
    expect(retentionMode('rolling')).toBe('rolling');
    expect(retentionMode('unbounded')).toBe('unbounded');
    expect(retentionMode('hourly')).toBe('calendar');
    expect(definitionLine('Europe/Berlin', 'calendar')).toBe(
      'Days in Europe/Berlin · Retention: calendar days (active on cohort day + N)',
    );
    expect(retentionModeText('rolling').label).toMatch(/24-hour windows/);
    expect(retentionModeText('unbounded').label).toMatch(/on or after day N/);
    expect(retentionModeText('calendar', 'week').label).toMatch(/calendar weeks/);
    const texts = RETENTION_MODES.flatMap((mode) =>
      (['day', 'week'] as const).map((unit) => retentionModeText(mode, unit)),
    );
    expect(new Set(texts.map((text) => text.label)).size).toBe(6);
    expect(new Set(texts.map((text) => text.explanation)).size).toBe(6);
    expect(RETENTION_MODES.map((mode) => RETENTION_MODE_NAMES[mode])).toEqual([
      'Calendar days (default)',
      'Rolling 24-hour windows',
      'On or after day N (unbounded)',
    ]);
  });

  it('keeps the whole view in the URL', () => {
    const url = analyticsUrl({
      from: '2026-11-01',
      to: '2026-11-30',
      tz: 'America/New_York',
      mode: 'rolling',
    });
    expect(url).toBe('/analytics?from=2026-11-01&to=2026-11-30&tz=America%2FNew_York&mode=rolling');
    const params = new URL(url, 'http://x').searchParams;
    expect(params.get('tz')).toBe('America/New_York');
    expect(params.get('mode')).toBe('rolling');
  });

  it("takes each day's completeness from the API, a day without a point complete before today", () => {
    expect(
      completeOnDays(
        ['d1', 'd2', 'd3', 'd4'],
        [
          { day: 'd1', complete: true },
          { day: 'd3', complete: false },
          // Several rows a day (the mix): incomplete when any is.
          { day: 'd1', complete: true },
        ],
        'd3',
      ),
    ).toEqual([true, true, false, false]);
  });

  it('splits a series at its last complete point, the dashed part joining the solid one', () => {
    expect(splitByCompleteness([1, 2, 3, 4], [true, true, false, false])).toEqual({
      complete: [1, 2, null, null],
      incomplete: [null, 2, 3, 4],
      incompleteIndexes: [2, 3],
      joins: [1],
    });
    expect(splitByCompleteness([5, 6], [false, false])).toEqual({
      complete: [null, null],
      incomplete: [5, 6],
      incompleteIndexes: [0, 1],
      joins: [],
    });
    expect(splitByCompleteness([5, 6], [true, true]).incomplete).toEqual([null, null]);
    expect(splitByCompleteness([], [])).toEqual({
      complete: [],
      incomplete: [],
      incompleteIndexes: [],
      joins: [],
    });
  });

  it('keeps every value of a split exactly once, and the joining points twice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.integer({ min: 0, max: 1_000_000 }), complete: fc.boolean() })),
        (points) => {
          const values = points.map((point) => point.value);
          const complete = points.map((point) => point.complete);
          const split = splitByCompleteness(values, complete);
          expect(split.complete).toHaveLength(values.length);
          expect(split.incomplete).toHaveLength(values.length);
          values.forEach((value, i) => {
            const solid = split.complete[i];
            const dashed = split.incomplete[i];
            // Each value is drawn: solid when complete, dashed when not, both only at a join.
            expect([solid, dashed].filter((v) => v !== null).length).toBe(split.joins.includes(i) ? 2 : 1);
            if (solid !== null) expect(solid).toBe(value);
            if (dashed !== null) expect(dashed).toBe(value);
            expect(solid !== null).toBe(complete[i]);
            expect(split.incompleteIndexes.includes(i)).toBe(!complete[i]);
          });
          // A join is a complete point right before an incomplete one: every dashed run that follows
          // a complete point starts from it.
          for (const i of split.joins) expect([complete[i], complete[i + 1]]).toEqual([true, false]);
          values.forEach((_, i) => {
            if (i > 0 && complete[i - 1] && !complete[i]) expect(split.joins).toContain(i - 1);
          });
        },
      ),
    );
  });

  it('says "so far" of a figure whose period is not over', () => {
    expect(soFar('DAU on 2026-11-22', true)).toBe('DAU on 2026-11-22');
    expect(soFar('DAU on 2026-11-22', false)).toBe('DAU on 2026-11-22 (so far)');
  });
});
