import { AnalyticsQueryError } from '@chronicle/analytics';
import { thrownBy } from '../../test/thrown-by';
import { FieldError } from '../http/field-error';
import { analyticsRange } from './analytics-range';

const REST = { from: 'from', to: 'to', types: 'type' };

describe('analyticsRange', () => {
  it('defaults to the 30 days ending today, or ending `to`', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(analyticsRange(undefined, undefined, undefined, REST).to).toBe(today);
    expect(analyticsRange(undefined, '2026-03-01', undefined, REST)).toEqual({
      from: '2026-01-31',
      to: '2026-03-01',
    });
    expect(analyticsRange('2026-01-01', '2026-01-02', ['app.*'], REST)).toEqual({
      from: '2026-01-01',
      to: '2026-01-02',
      types: ['app.*'],
    });
  });

  it.each([
    ['to', [undefined, 'garbage']],
    ['to', [undefined, '2026-02-30']],
    ['from', ['26-01-01', undefined]],
  ] as const)(
    'names %s for a day that is not one, before computing a default from it',
    (field, [from, to]) => {
      const error = thrownBy(AnalyticsQueryError, () => analyticsRange(from, to, undefined, REST));
      expect(error.parameter).toBe(field);
    },
  );

  it.each([
    ['type', [undefined, undefined, ['no.such_type']]],
    ['type', [undefined, undefined, ['bad*']]],
  ] as const)('names %s, as the client sent it, for a bad value', (field, [from, to, types]) => {
    const error = thrownBy(FieldError, () => analyticsRange(from, to, types ? [...types] : undefined, REST));
    expect(error.field).toBe(field);
  });

  it('names the GraphQL argument under its own name', () => {
    const error = thrownBy(FieldError, () =>
      analyticsRange(undefined, undefined, ['nope'], { from: 'from', to: 'to', types: 'types' }),
    );
    expect(error.field).toBe('types');
  });
});
