import {
  averageRatio,
  daysBetween,
  formatCount,
  formatPercent,
  lastDays,
  mixSeries,
  onDays,
  retentionShade,
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
          { day: 'c', users: 3 },
          { day: 'a', users: 1 },
        ],
      ),
    ).toEqual([1, 0, 3]);
  });

  it('turns the mix into one series per type, busiest first, ignoring days outside the range', () => {
    expect(
      mixSeries(
        ['d1', 'd2'],
        [
          { day: 'd1', activityType: 'b', events: 1 },
          { day: 'd2', activityType: 'a', events: 5 },
          { day: 'd2', activityType: 'b', events: 1 },
          { day: 'd9', activityType: 'c', events: 100 },
          { day: 'd1', activityType: 'c', events: 2 },
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
        { day: 'a', dau: 1, mau: 2, ratio: 0.5 },
        { day: 'b', dau: 0, mau: 0, ratio: null },
        { day: 'c', dau: 1, mau: 4, ratio: 0.25 },
      ]),
    ).toBe(0.375);
  });

  it('shades retention cells darker for higher rates, with readable text', () => {
    expect(retentionShade(null)).toBeNull();
    expect(retentionShade(0)).toEqual({ background: 'hsl(213 80% 96%)', color: '#0b1f33' });
    expect(retentionShade(1)).toEqual({ background: 'hsl(213 80% 36%)', color: '#fff' });
    expect(retentionShade(2)).toEqual(retentionShade(1));
  });
});
