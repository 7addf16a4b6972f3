import { newClusterId } from './kafka';

describe('Kafka cluster ids', () => {
  it('are 22 base64url characters and never start with "-" (the storage tool would take it for an option)', () => {
    const ids = Array.from({ length: 20_000 }, () => newClusterId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
