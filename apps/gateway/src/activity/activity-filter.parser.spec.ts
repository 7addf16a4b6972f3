import { getDefaultActivityCatalog } from '@chronicle/contracts';
import { thrownBy } from '../../test/thrown-by';
import { FieldError } from '../http/field-error';
import { ACTIVITY_FILTER_PARAMS, parseActivityFilter, usedFilters } from './activity-filter.parser';
import type { Query } from '../http/query-params';

const catalog = getDefaultActivityCatalog();
const parse = (query: Query) => parseActivityFilter(query, catalog);

const fieldError = (run: () => unknown) => thrownBy(FieldError, run);

describe('parseActivityFilter', () => {
  it('is empty without filters', () => {
    expect(parse({})).toEqual({});
    expect(parse({ userId: '', type: '', from: '' })).toEqual({});
  });

  it('reads every filter', () => {
    expect(
      parse({
        userId: 'u_123',
        type: 'app.viewed',
        entityType: 'app',
        entityId: 'app_42',
        source: '/services/web',
        from: '2026-11-01',
        to: '2026-11-22T10:00:00Z',
      }),
    ).toEqual({
      actorId: 'u_123',
      types: ['app.viewed'],
      entityType: 'app',
      entityId: 'app_42',
      source: '/services/web',
      from: new Date('2026-11-01T00:00:00.000Z'),
      to: new Date('2026-11-22T10:00:00.000Z'),
    });
  });

  it('ignores parameters that are not filters', () => {
    expect(parse({ limit: '10', cursor: 'abc', actorId: 'u_1' })).toEqual({});
  });

  it('expands type prefixes against the catalog', () => {
    expect(parse({ type: 'download.*' }).types).toEqual([
      'download.initiated',
      'download.completed',
      'download.failed',
    ]);
  });

  it('takes a list of types and prefixes, comma-separated or repeated, without duplicates', () => {
    const { types } = parse({ type: ['app.viewed,job.*', 'job.failed'] });
    expect(types).toEqual(
      expect.arrayContaining(['app.viewed', 'job.started', 'job.completed', 'job.failed']),
    );
    expect(types).toHaveLength(4);
  });

  it.each([
    ['an unknown type', 'app.viewd', '"app.viewd" is not an activity type'],
    ['a prefix matching nothing', 'dowload.*', '"dowload.*" matches no activity type'],
    ['a malformed prefix', 'download*', '"download*" is not a type prefix'],
  ])('answers 400 on type for %s', (_what, type, reason) => {
    const error = fieldError(() => parse({ type }));
    expect(error.field).toBe('type');
    expect(error.message).toContain(`type: ${reason}`);
    expect(error.getResponse()).toMatchObject({ statusCode: 400, field: 'type' });
  });

  it('refuses a whole list for one unknown type in it', () => {
    expect(fieldError(() => parse({ type: 'app.viewed,nope' })).field).toBe('type');
  });

  it('takes from before to', () => {
    expect(parse({ from: '2026-11-21', to: '2026-11-22' })).toEqual({
      from: new Date('2026-11-21T00:00:00.000Z'),
      to: new Date('2026-11-22T00:00:00.000Z'),
    });
  });

  it.each([
    ['equal', '2026-11-22', '2026-11-22T00:00:00Z'],
    ['reversed', '2026-11-22', '2026-11-21'],
  ])('answers 400 on to when from and to are %s', (_what, from, to) => {
    const error = fieldError(() => parse({ from, to }));
    expect(error.field).toBe('to');
    expect(error.message).toBe('to: must be after from');
  });

  it.each(['from', 'to'])('answers 400 on %s for a time it cannot read', (name) => {
    expect(fieldError(() => parse({ [name]: 'last week' })).field).toBe(name);
  });

  it.each(['userId', 'entityType', 'entityId', 'source'])('answers 400 on a repeated %s', (name) => {
    expect(fieldError(() => parse({ [name]: ['a', 'b'] })).field).toBe(name);
  });
});

describe('usedFilters', () => {
  it('names the filters used, never their values, in a fixed order', () => {
    expect(usedFilters({ to: '2026-11-22', userId: 'u_123', type: 'app.viewed', limit: '10' })).toEqual([
      'userId',
      'type',
      'to',
    ]);
  });

  it('leaves out empty parameters', () => {
    expect(usedFilters({ userId: '', source: '/services/web' })).toEqual(['source']);
    expect(usedFilters({})).toEqual([]);
  });

  it('knows every filter', () => {
    const all = Object.fromEntries(ACTIVITY_FILTER_PARAMS.map((name) => [name, 'x']));
    expect(usedFilters(all)).toEqual(['userId', 'type', 'entityType', 'entityId', 'source', 'from', 'to']);
  });
});
