import { classifyStoreError, isMissingPartition, isStatementCancelled } from './store-errors';

describe('classifyStoreError', () => {
  const pgError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it.each([
    // The records: the same rows fail again.
    [pgError('22P02', 'invalid input syntax for type uuid'), 'deterministic'],
    [pgError('22001', 'value too long for type character varying(40)'), 'deterministic'],
    [
      pgError(
        '22P05',
        'character with byte sequence 0xf0 0x9f 0x98 0x80 in encoding "UTF8" has no equivalent',
      ),
      'deterministic',
    ],
    [pgError('23505', 'duplicate key value violates unique constraint'), 'deterministic'],
    [pgError('23514', 'new row violates check constraint'), 'deterministic'],
    [pgError('54000', 'index row size exceeds maximum'), 'deterministic'],
    // The store or its setup: retried until it is back.
    [pgError('23514', 'no partition of relation "activity_events" found for row'), 'transient'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'transient'],
    [pgError('57014', 'canceling statement due to statement timeout'), 'transient'],
    [pgError('40001', 'could not serialize access'), 'transient'],
    [pgError('40P01', 'deadlock detected'), 'transient'],
    [pgError('08006', 'connection failure'), 'transient'],
    [pgError('53100', 'could not extend file: No space left on device'), 'transient'],
    [pgError('42501', 'permission denied for table activity_events'), 'transient'],
    [pgError('42P01', 'relation "activity_events" does not exist'), 'transient'],
    [pgError('ECONNREFUSED'), 'transient'],
    [new Error('Connection terminated unexpectedly'), 'transient'],
    [new Error('timeout exceeded when trying to connect'), 'transient'],
    [undefined, 'transient'],
    // Neither known: retried a few times, then taken as the records'.
    [pgError('XX000', 'internal error'), 'unknown'],
    [pgError('42804', 'column is of type jsonb but expression is of type integer'), 'unknown'],
  ])('%s → %s', (error, expected) => {
    expect(classifyStoreError(error)).toBe(expected);
  });

  it('recognises a missing partition only by its code and message together', () => {
    expect(isMissingPartition(pgError('23514', 'no partition of relation "x" found for row'))).toBe(true);
    expect(isMissingPartition(pgError('23514', 'new row violates check constraint'))).toBe(false);
    expect(isMissingPartition(null)).toBe(false);
  });

  it('tells a statement cancelled by its timeout (57014) from other errors', () => {
    expect(isStatementCancelled(pgError('57014', 'canceling statement due to statement timeout'))).toBe(true);
    expect(isStatementCancelled(pgError('57P01'))).toBe(false);
    expect(isStatementCancelled(new Error('Connection terminated'))).toBe(false);
    expect(isStatementCancelled(null)).toBe(false);
  });
});
