import { classifyStoreError } from './store-errors';

describe('classifyStoreError', () => {
  const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it.each([
    [pgError('22P02', 'invalid input syntax for type uuid'), 'rejected-data'],
    [pgError('54000', 'row is too big'), 'rejected-data'],
    [pgError('23514', 'no partition of relation "activity_events" found for row'), 'missing-partition'],
    [pgError('23514', 'new row violates check constraint'), 'transient'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'transient'],
    [pgError('23505', 'duplicate key value violates unique constraint'), 'transient'],
    [pgError('ECONNREFUSED'), 'transient'],
    [new Error('Connection terminated unexpectedly'), 'transient'],
    [undefined, 'transient'],
  ])('%s → %s', (error, expected) => {
    expect(classifyStoreError(error)).toBe(expected);
  });
});
