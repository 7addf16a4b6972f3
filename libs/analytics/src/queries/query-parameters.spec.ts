import { getDefaultActivityCatalog } from '@chronicle/contracts';
import {
  AnalyticsQueryError,
  checkChoice,
  checkDay,
  checkDayRange,
  checkInteger,
  checkName,
  resolveTypes,
} from './query-parameters';

const catalog = getDefaultActivityCatalog();

describe('query parameters', () => {
  it('accepts UTC days that exist', () => {
    expect(checkDay('2028-02-29', 'day')).toBe('2028-02-29');
    expect(checkDay('2000-01-01', 'day')).toBe('2000-01-01');
  });

  it.each([
    ['2026-02-30'],
    ['2026-13-01'],
    ['2026-1-01'],
    ['2026-01-01T00:00:00Z'],
    ['1999-12-31'],
    ['2100-01-01'],
    [''],
    [20260101],
    [null],
  ])('refuses %p as a day, naming the parameter', (value) => {
    expect(() => checkDay(value, 'from')).toThrow(AnalyticsQueryError);
    expect(() => checkDay(value, 'from')).toThrow(
      /^from must be a UTC day written YYYY-MM-DD, from 2000-01-01 to 2099-12-31, got /,
    );
  });

  it('says what it got, cut short', () => {
    expect(() => checkDay(undefined, 'day')).toThrow(/got nothing$/);
    expect(() => checkDay('x'.repeat(100), 'day')).toThrow(/got "x{63}…$/);
    expect(() => checkDay(10n, 'day')).toThrow(/got 10$/);
  });

  it('checks a range: ordered, at most 366 days', () => {
    expect(checkDayRange('2026-01-01', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-01' });
    expect(checkDayRange('2028-01-01', '2028-12-31')).toEqual({ from: '2028-01-01', to: '2028-12-31' });
    expect(() => checkDayRange('2026-02-01', '2026-01-31')).toThrow(
      'to (2026-01-31) is before from (2026-02-01)',
    );
    expect(() => checkDayRange('2026-01-01', '2027-01-02')).toThrow(
      'to is 367 days from from (both included); a query covers at most 366 days',
    );
    try {
      checkDayRange('2026-01-01', 'soon');
    } catch (error) {
      expect((error as AnalyticsQueryError).parameter).toBe('to');
    }
  });

  it('checks whole numbers within bounds, with a default', () => {
    expect(checkInteger(undefined, 'limit', { min: 1, max: 10, fallback: 5 })).toBe(5);
    expect(checkInteger(10, 'limit', { min: 1, max: 10 })).toBe(10);
    for (const bad of [0, 11, 2.5, '3', Number.NaN]) {
      expect(() => checkInteger(bad, 'limit', { min: 1, max: 10 })).toThrow(
        /^limit must be a whole number from 1 to 10, got /,
      );
    }
    expect(() => checkInteger(undefined, 'periods', { min: 1, max: 10 })).toThrow(
      'periods must be a whole number from 1 to 10, got nothing',
    );
  });

  it('checks a choice, with a default', () => {
    expect(checkChoice(undefined, 'granularity', ['day', 'week'], 'day')).toBe('day');
    expect(checkChoice('week', 'granularity', ['day', 'week'], 'day')).toBe('week');
    expect(() => checkChoice('month', 'granularity', ['day', 'week'], 'day')).toThrow(
      'granularity must be one of "day", "week", got "month"',
    );
  });

  it('checks a name', () => {
    expect(checkName("app'; DROP TABLE x", 'entityType')).toBe("app'; DROP TABLE x");
    expect(() => checkName('', 'entityType')).toThrow(/^entityType must be a non-empty string/);
    expect(() => checkName('x'.repeat(129), 'entityType')).toThrow(/at most 128 characters/);
  });

  it('resolves type filters with the catalog, none meaning every type', () => {
    expect(resolveTypes(undefined, catalog)).toBeUndefined();
    expect(resolveTypes('download.*', catalog)).toEqual([
      'download.initiated',
      'download.completed',
      'download.failed',
    ]);
    expect(resolveTypes(['app.viewed', 'job.*'], catalog)).toEqual([
      'app.viewed',
      'job.started',
      'job.completed',
      'job.failed',
    ]);
  });

  it('reports a filter that selects nothing as an error of `types`', () => {
    expect(() => resolveTypes('dowload.*', catalog)).toThrow(
      'types filter: "dowload.*" matches no activity type',
    );
    expect(() => resolveTypes('app.clicked', catalog)).toThrow(
      'types filter: "app.clicked" is not an activity type',
    );
    expect(() => resolveTypes([], catalog)).toThrow(AnalyticsQueryError);
  });

  it('lets other errors through', () => {
    const broken = {
      get types(): string[] {
        throw new Error('catalog broke');
      },
    };
    expect(() => resolveTypes('app.viewed', broken as never)).toThrow('catalog broke');
  });
});
