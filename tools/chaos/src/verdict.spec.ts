import {
  checkDeadLetters,
  checkDropsAccounted,
  checkErasures,
  checkFigure,
  checkNoCrashes,
  checkStoredIds,
} from './verdict';

describe('the verdict', () => {
  it('fails on a missing, an unexpected or a twice-stored id, and passes on the exact set', () => {
    const expected = new Map([
      ['a', 't1'],
      ['b', 't2'],
      ['c', 't3'],
    ]);
    const check = (rows: number, ids: string[]) =>
      checkStoredIds('pg', expected, { rows, ids: new Set(ids) });
    expect(check(3, ['a', 'b', 'c'])).toMatchObject({ name: 'pg', pass: true });
    const missing = check(2, ['a', 'b']);
    expect(missing).toMatchObject({ pass: false });
    expect(missing.detail).toContain('missing 1 (e.g. c of t3)');
    expect(check(4, ['a', 'b', 'c', 'x']).detail).toContain('unexpected 1 (e.g. x)');
    expect(check(4, ['a', 'b', 'c'])).toMatchObject({ pass: false });
  });

  it('compares figures exactly and names the first differing row', () => {
    expect(checkFigure('dau', [{ day: 'd', users: 1 }], [{ day: 'd', users: 1 }]).pass).toBe(true);
    const differs = checkFigure('dau', [{ day: 'd', users: 1 }], [{ day: 'd', users: 2 }]);
    expect(differs.pass).toBe(false);
    expect(differs.detail).toContain('row 0');
  });

  it('wants every poison record dead-lettered with its reason, at least once, and nothing else', () => {
    const expected = new Map([
      ['0:5', 'undecodable'],
      ['1:9', 'invalid'],
    ]);
    const letters = [
      { source: '0:5', reason: 'undecodable' },
      { source: '0:5', reason: 'undecodable' },
      { source: '1:9', reason: 'invalid' },
    ];
    expect(checkDeadLetters(expected, letters).pass).toBe(true);
    expect(checkDeadLetters(expected, letters.slice(0, 2)).pass).toBe(false);
    expect(checkDeadLetters(expected, [...letters, { source: '2:1', reason: 'invalid' }]).pass).toBe(false);
    expect(
      checkDeadLetters(expected, [
        { source: '0:5', reason: 'undecodable' },
        { source: '1:9', reason: 'undecodable' },
      ]).pass,
    ).toBe(false);
  });

  it('accounts for every event handed to the SDK', () => {
    expect(checkDropsAccounted(10, 8, { queue_full: 2, shutdown: 0 }).pass).toBe(true);
    const lost = checkDropsAccounted(10, 8, { queue_full: 1 });
    expect(lost.pass).toBe(false);
    expect(lost.detail).toContain('1 unaccounted');
  });

  it('wants each erasure completed by both stores with no row left', () => {
    const done = {
      requestId: 'r',
      completedBy: new Set(['postgres', 'clickhouse']),
      remaining: { postgres: 0, clickhouse: 0 },
    };
    expect(checkErasures([done]).pass).toBe(true);
    expect(checkErasures([]).pass).toBe(false);
    expect(checkErasures([{ ...done, completedBy: new Set(['postgres']) }]).pass).toBe(false);
    expect(checkErasures([{ ...done, remaining: { postgres: 0, clickhouse: 3 } }]).detail).toContain(
      'left 0 in Postgres, 3 in ClickHouse',
    );
  });

  it('fails when a worker exited by itself', () => {
    expect(checkNoCrashes([]).pass).toBe(true);
    expect(checkNoCrashes(['ingest-2 exited with 1'])).toMatchObject({
      pass: false,
      detail: 'ingest-2 exited with 1',
    });
  });
});
