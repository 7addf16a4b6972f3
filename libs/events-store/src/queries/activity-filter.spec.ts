import { buildActivityWhere, type ActivityFilter } from './activity-filter';

const FROM = new Date('2026-11-01T00:00:00.000Z');
const TO = new Date('2026-11-22T00:00:00.000Z');
const KEYSET = {
  occurredAt: new Date('2026-11-20T10:00:00.123Z'),
  id: '019a9c3e-1111-7000-8000-000000000001',
};

describe('buildActivityWhere', () => {
  it('leaves out the WHERE when nothing narrows the rows', () => {
    expect(buildActivityWhere({})).toEqual({ where: '', params: [] });
  });

  it.each<[ActivityFilter, string, unknown[]]>([
    [{ actorId: 'u_1' }, 'WHERE actor_id = $1::text', ['u_1']],
    [{ actorType: 'service' }, 'WHERE actor_type = $1::text', ['service']],
    [{ types: ['app.viewed'] }, 'WHERE activity_type = $1::text', ['app.viewed']],
    [
      { types: ['download.started', 'download.completed'] },
      'WHERE activity_type = ANY($1::text[])',
      [['download.started', 'download.completed']],
    ],
    [{ entityType: 'app' }, 'WHERE entity_type = $1::text', ['app']],
    [{ entityId: 'app_42' }, 'WHERE entity_id = $1::text', ['app_42']],
    [{ source: '/services/x' }, 'WHERE source = $1::text', ['/services/x']],
    [{ from: FROM }, 'WHERE occurred_at >= $1::timestamptz', [FROM]],
    [{ to: TO }, 'WHERE occurred_at < $1::timestamptz', [TO]],
  ])('narrows by one field: %j', (filter, where, params) => {
    expect(buildActivityWhere(filter)).toEqual({ where, params });
  });

  it('combines every field and the keyset with AND, numbering from the given start', () => {
    const filter: ActivityFilter = {
      actorId: 'u_1',
      actorType: 'user',
      types: ['a.b', 'c.d'],
      entityType: 'app',
      entityId: 'app_1',
      source: 's',
      from: FROM,
      to: TO,
    };
    const { where, params } = buildActivityWhere(filter, { after: KEYSET, firstParam: 3 });
    expect(where).toBe(
      'WHERE actor_id = $3::text AND actor_type = $4::text AND activity_type = ANY($5::text[])' +
        ' AND entity_type = $6::text AND entity_id = $7::text AND source = $8::text' +
        ' AND occurred_at >= $9::timestamptz AND occurred_at < $10::timestamptz' +
        ' AND occurred_at <= $11::timestamptz AND (occurred_at, id) < ($11::timestamptz, $12::uuid)',
    );
    expect(params).toEqual([
      'u_1',
      'user',
      ['a.b', 'c.d'],
      'app',
      'app_1',
      's',
      FROM,
      TO,
      KEYSET.occurredAt,
      KEYSET.id,
    ]);
  });

  it('keyset alone: a row comparison, and a plain bound for partition pruning', () => {
    expect(buildActivityWhere({}, { after: KEYSET })).toEqual({
      where: 'WHERE occurred_at <= $1::timestamptz AND (occurred_at, id) < ($1::timestamptz, $2::uuid)',
      params: [KEYSET.occurredAt, KEYSET.id],
    });
  });

  it('never puts a value into the SQL text, however hostile', () => {
    const evil = "x'); DROP TABLE activity_events; --";
    const filter: ActivityFilter = {
      actorId: evil,
      types: [evil, `${evil}2`],
      entityType: evil,
      entityId: evil,
      source: evil,
      from: FROM,
      to: TO,
    };
    const { where, params } = buildActivityWhere(filter, { after: KEYSET });
    expect(where).not.toContain('DROP');
    expect(where).not.toContain("'");
    expect(where).not.toContain('2026');
    expect(where).not.toContain(KEYSET.id);
    expect(params).toContain(evil);
  });

  it('lets the caller choose how a parameter is referred to', () => {
    const { where, params } = buildActivityWhere(
      { actorId: 'u_1', from: FROM },
      { placeholder: (n, type) => `p(${n}, ${type})` },
    );
    expect(where).toBe('WHERE actor_id = p(1, text) AND occurred_at >= p(2, timestamptz)');
    expect(params).toEqual(['u_1', FROM]);
  });

  it('refuses an empty type list, an unknown actor type, invalid dates and a malformed keyset', () => {
    expect(() => buildActivityWhere({ types: [] })).toThrow(RangeError);
    expect(() => buildActivityWhere({ actorType: 'robot' as never })).toThrow(/actorType/);
    expect(() => buildActivityWhere({ from: new Date('nope') })).toThrow(/from/);
    expect(() => buildActivityWhere({ to: new Date(Number.NaN) })).toThrow(/to/);
    expect(() => buildActivityWhere({}, { after: { occurredAt: new Date(), id: "1' OR 1=1" } })).toThrow(
      /UUID/,
    );
    expect(() =>
      buildActivityWhere({}, { after: { occurredAt: new Date(Number.NaN), id: KEYSET.id } }),
    ).toThrow(/keyset time/);
  });
});
