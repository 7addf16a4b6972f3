import { filtersFromQuery, filtersToQuery, splitTypes, typeChoices } from './activity-filters';

describe('activity filters in the URL', () => {
  it('reads every filter, with types given as a list or repeated', () => {
    expect(
      filtersFromQuery(
        '?userId=u_1&type=app.viewed,download.*&type=review.submitted&entityType=app&entityId=app_42&source=%2Fservices%2Fweb&from=2026-11-01&to=2026-11-22&other=x',
      ),
    ).toEqual({
      userId: 'u_1',
      types: ['app.viewed', 'download.*', 'review.submitted'],
      entityType: 'app',
      entityId: 'app_42',
      source: '/services/web',
      from: '2026-11-01',
      to: '2026-11-22',
    });
  });

  it('leaves blank filters out, both ways', () => {
    expect(filtersFromQuery(new URLSearchParams('userId=%20&type='))).toEqual({ types: [] });
    expect(filtersToQuery({ types: [], userId: ' ', source: '' })).toBe('');
  });

  it('writes the query string the API takes, and reads it back the same', () => {
    const filters = { userId: 'u_1', types: ['download.*', 'app.viewed'], source: '/services/web' };
    const query = filtersToQuery(filters, { limit: '50' });
    expect(query).toBe('userId=u_1&source=%2Fservices%2Fweb&type=download.*%2Capp.viewed&limit=50');
    expect(filtersFromQuery(query)).toEqual(filters);
  });

  it('splits, trims and de-duplicates types', () => {
    expect(splitTypes(['a.b, c.*', 'a.b', ' ', ''])).toEqual(['a.b', 'c.*']);
  });

  it('offers a prefix per family of several types, then the types, then unknown selected values', () => {
    expect(
      typeChoices(
        ['download.completed', 'app.viewed', 'download.initiated', 'app.viewed'],
        ['x.y', 'app.viewed'],
      ),
    ).toEqual(['download.*', 'app.viewed', 'download.completed', 'download.initiated', 'x.y']);
    expect(typeChoices([])).toEqual([]);
  });
});
