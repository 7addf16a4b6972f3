import fc from 'fast-check';
import { FieldError } from './field-error';
import { thrownBy } from '../../test/thrown-by';
import { choiceParam, integerParam, listParam, textParam, timeParam, type Query } from './query-params';

const fieldError = (run: () => unknown) => thrownBy(FieldError, run);

describe('textParam', () => {
  it('reads a single value, and absent or empty as undefined', () => {
    expect(textParam({ source: '/services/web' }, 'source')).toBe('/services/web');
    expect(textParam({}, 'source')).toBeUndefined();
    expect(textParam({ source: '' }, 'source')).toBeUndefined();
  });

  it('refuses a repeated parameter', () => {
    const error = fieldError(() => textParam({ source: ['/a', '/b'] }, 'source'));
    expect(error.field).toBe('source');
    expect(error.getResponse()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      field: 'source',
      message: 'source: must be given once, as text',
    });
  });

  it('refuses a nested object (?source[a]=b)', () => {
    expect(fieldError(() => textParam({ source: { a: 'b' } }, 'source')).field).toBe('source');
  });

  it('takes 256 characters and refuses more', () => {
    expect(textParam({ entityId: 'x'.repeat(256) }, 'entityId')).toHaveLength(256);
    const error = fieldError(() => textParam({ entityId: 'x'.repeat(257) }, 'entityId'));
    expect(error.field).toBe('entityId');
    expect(error.message).toBe('entityId: must be at most 256 characters');
  });
});

describe('listParam', () => {
  it('splits commas and joins repeated parameters, in order', () => {
    expect(listParam({ type: 'app.viewed, download.* ,' }, 'type')).toEqual(['app.viewed', 'download.*']);
    expect(listParam({ type: ['a,b', 'c'] }, 'type')).toEqual(['a', 'b', 'c']);
  });

  it('is undefined when absent, empty or only commas', () => {
    expect(listParam({}, 'type')).toBeUndefined();
    expect(listParam({ type: '' }, 'type')).toBeUndefined();
    expect(listParam({ type: ' , ,' }, 'type')).toBeUndefined();
  });

  it('refuses a value that is not text', () => {
    const error = fieldError(() => listParam({ type: ['a', { b: 'c' }] }, 'type'));
    expect(error.field).toBe('type');
    expect(error.message).toBe('type: must be text');
  });

  it('takes 100 values and refuses more', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`).join(',');
    expect(listParam({ type: values(100) }, 'type')).toHaveLength(100);
    expect(fieldError(() => listParam({ type: values(101) }, 'type')).message).toBe(
      'type: takes at most 100 values',
    );
  });
});

describe('integerParam', () => {
  const limit = (query: Query) => integerParam(query, 'limit', { fallback: 50, min: 1, max: 500 });

  it('reads an integer within bounds, or the fallback when absent', () => {
    expect(limit({ limit: '20' })).toBe(20);
    expect(limit({ limit: '1' })).toBe(1);
    expect(limit({ limit: '500' })).toBe(500);
    expect(limit({})).toBe(50);
    expect(limit({ limit: '' })).toBe(50);
  });

  it('takes negative integers when the bounds allow', () => {
    expect(integerParam({ offset: '-3' }, 'offset', { fallback: 0, min: -10, max: 10 })).toBe(-3);
  });

  it.each(['0', '501', '-1', '1.5', '1e2', '0x10', ' 20', '20abc', 'twenty'])('refuses %p', (value) => {
    const error = fieldError(() => limit({ limit: value }));
    expect(error.field).toBe('limit');
    expect(error.message).toBe('limit: must be an integer from 1 to 500');
  });

  it('refuses a repeated parameter', () => {
    expect(fieldError(() => limit({ limit: ['1', '2'] })).message).toBe('limit: must be given once, as text');
  });
});

describe('timeParam', () => {
  it('reads an RFC 3339 time, with any offset', () => {
    expect(timeParam({ from: '2026-11-22T10:00:00Z' }, 'from')).toEqual(new Date('2026-11-22T10:00:00.000Z'));
    expect(timeParam({ from: '2026-11-22T11:30:00.250+01:00' }, 'from')).toEqual(
      new Date('2026-11-22T10:30:00.250Z'),
    );
  });

  it('reads a date as that day at 00:00 UTC', () => {
    expect(timeParam({ to: '2026-11-22' }, 'to')).toEqual(new Date('2026-11-22T00:00:00.000Z'));
  });

  it('is undefined when absent', () => {
    expect(timeParam({}, 'from')).toBeUndefined();
  });

  it.each([
    'yesterday',
    '1732269600000',
    '2026-11-22 10:00:00',
    '2026-11-22T10:00:00',
    '2026-02-30',
    '22/11/2026',
  ])('refuses %p', (value) => {
    const error = fieldError(() => timeParam({ from: value }, 'from'));
    expect(error.field).toBe('from');
    expect(error.message).toBe(
      'from: must be an RFC 3339 time (2026-11-22T10:00:00Z) or a date (2026-11-22)',
    );
  });
});

describe('choiceParam', () => {
  const FORMATS = ['ndjson', 'csv'] as const;

  it('reads one of the choices, the first when absent', () => {
    expect(choiceParam({ format: 'csv' }, 'format', FORMATS)).toBe('csv');
    expect(choiceParam({}, 'format', FORMATS)).toBe('ndjson');
  });

  it('refuses anything else, listing the choices', () => {
    const error = fieldError(() => choiceParam({ format: 'CSV' }, 'format', FORMATS));
    expect(error.field).toBe('format');
    expect(error.message).toBe('format: must be one of ndjson, csv');
  });
});

describe('every parameter reader, under hostile input', () => {
  const CONTROL = [...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)), '\u007f'];

  it('refuses a control character or an unpaired surrogate, naming the parameter', () => {
    for (const bad of [...CONTROL, '\ud800', '\udfff'])
      for (const read of [
        (q: Query) => textParam(q, 'actorId'),
        (q: Query) => listParam(q, 'actorId'),
        (q: Query) => timeParam(q, 'actorId'),
      ]) {
        const error = fieldError(() => read({ actorId: `u${bad}1` }));
        expect(error.field).toBe('actorId');
      }
  });

  it('either reads a value or throws a FieldError naming the parameter, whatever it is given', () => {
    const readers: ((query: Query) => unknown)[] = [
      (q) => textParam(q, 'p'),
      (q) => listParam(q, 'p'),
      (q) => integerParam(q, 'p', { fallback: 1, min: 1, max: 100 }),
      (q) => timeParam(q, 'p'),
      (q) => choiceParam(q, 'p', ['a', 'b'] as const),
    ];
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 5 }),
      fc.constantFrom('1e3', '-0', '9'.repeat(400), '2026-02-30', '0000-01-01T00:00:00Z', '\u0000'),
      fc.anything(),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: readers.length - 1 }), (p, index) => {
        try {
          (readers[index] as (query: Query) => unknown)({ p });
        } catch (error) {
          expect(error).toBeInstanceOf(FieldError);
          expect((error as FieldError).field).toBe('p');
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
