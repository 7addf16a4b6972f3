import { typeCondition, typeParams } from './query-context';

describe('type filter SQL', () => {
  it('adds no condition for every type', () => {
    expect(typeCondition(undefined)).toBe('');
    expect(typeParams(undefined)).toEqual({});
  });

  it('binds the types as a parameter rather than writing them into the SQL', () => {
    const types = ["app.viewed'); DROP TABLE events; --"];
    expect(typeCondition(types)).toBe('AND activity_type IN {types:Array(String)}');
    expect(typeParams(types)).toEqual({ types });
  });
});
