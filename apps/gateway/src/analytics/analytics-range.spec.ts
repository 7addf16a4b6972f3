import { AnalyticsQueryError } from '@chronicle/analytics';
import { thrownBy } from '../../test/thrown-by';
import { FieldError } from '../http/field-error';
import { analyticsRange, checkTypeFilter } from './analytics-range';

const REST = { from: 'from', to: 'to', types: 'type' };

describe('analyticsRange', () => {
  it('defaults to the 30 days ending today, or ending `to`, in the default zone', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(analyticsRange({}, REST, 'UTC').to).toBe(today);
    expect(analyticsRange({ to: '2026-03-01' }, REST, 'Europe/Berlin')).toEqual({
      from: '2026-01-31',
      to: '2026-03-01',
      tz: 'Europe/Berlin',
    });
    expect(
      analyticsRange(
        { from: '2026-01-01', to: '2026-01-02', types: ['app.*'], tz: 'Asia/Kolkata' },
        REST,
        'UTC',
      ),
    ).toEqual({
      from: '2026-01-01',
      to: '2026-01-02',
      types: ['app.*'],
      tz: 'Asia/Kolkata',
    });
  });

  it('takes "today" in the zone asked for', () => {
    // 20:00 UTC on 15 September is already the 16th in Auckland.
    const now = Date.parse('2026-09-15T20:00:00Z');
    expect(analyticsRange({}, REST, 'UTC', now).to).toBe('2026-09-15');
    expect(analyticsRange({ tz: 'Pacific/Auckland' }, REST, 'UTC', now)).toMatchObject({
      from: '2026-08-18',
      to: '2026-09-16',
    });
  });

  it.each([
    ['to', { to: 'garbage' }],
    ['to', { to: '2026-02-30' }],
    ['from', { from: '26-01-01' }],
    ['tz', { tz: 'Mars/Olympus' }],
    ['tz', { tz: "UTC'; DROP TABLE events --" }],
  ] as const)(
    'names %s for a value that is not one, before computing a default from it',
    (field, parameters) => {
      const error = thrownBy(AnalyticsQueryError, () => analyticsRange(parameters, REST, 'UTC'));
      expect(error.parameter).toBe(field);
    },
  );

  it.each([
    ['type', ['no.such_type']],
    ['type', ['bad*']],
  ] as const)('names %s, as the client sent it, for a bad value', (field, types) => {
    const error = thrownBy(FieldError, () => analyticsRange({ types: [...types] }, REST, 'UTC'));
    expect(error.field).toBe(field);
  });

  it('names the GraphQL argument under its own name', () => {
    const error = thrownBy(FieldError, () =>
      analyticsRange({ types: ['nope'] }, { from: 'from', to: 'to', types: 'types' }, 'UTC'),
    );
    expect(error.field).toBe('types');
  });

  it('checks a cohort type filter under the name it was sent as', () => {
    expect(checkTypeFilter(['download.*'], 'cohortType')).toEqual(['download.*']);
    expect(thrownBy(FieldError, () => checkTypeFilter(['nope'], 'cohortType')).field).toBe('cohortType');
  });
});
