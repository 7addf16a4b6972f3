import { decideBackfill, demoBackfillArgs, DEMO_POPULATION_ARGS } from './demo-history.plan';

const partitions = (...highs: [string, string][]) =>
  highs.map(([low, high], partition) => ({ partition, low, high }));

describe('decideBackfill', () => {
  it('backfills into a topic that has never held a record (a fresh stack)', () => {
    const decision = decideBackfill('activity.events.v1', partitions(['0', '0'], ['0', '0'], ['0', '0']));
    expect(decision.backfill).toBe(true);
    expect(decision.reason).toBe(
      'activity.events.v1 is empty: backfilling the last 30 days of demo history (2,000 users, seed demo) before the live traffic',
    );
  });

  it('does not backfill again once the topic has taken events (a second npm start)', () => {
    const decision = decideBackfill('activity.events.v1', partitions(['0', '0'], ['0', '1200'], ['0', '34']));
    expect(decision.backfill).toBe(false);
    expect(decision.reason).toMatch(/^activity\.events\.v1 has taken 1,234 events already: no backfill/);
    expect(decision.reason).toContain('rm -rf .local/stack');
  });

  it('counts what the topic has taken, not what retention has left (low watermarks move, high ones only grow)', () => {
    expect(decideBackfill('t', partitions(['500', '500'], ['7', '7'])).backfill).toBe(false);
  });

  it('reads offsets beyond 2^53 exactly', () => {
    expect(decideBackfill('t', partitions(['0', '9007199254740993'])).reason).toContain(
      '9,007,199,254,740,993 events',
    );
  });
});

describe('demoBackfillArgs', () => {
  it("fills the demo's 30 days with the population the live run plays", () => {
    const args = demoBackfillArgs('topic.t');
    expect(args.slice(0, 2)).toEqual(['--backfill-days', '30']);
    expect(args.join(' ')).toContain(DEMO_POPULATION_ARGS.join(' '));
    expect(args.join(' ')).toContain('--topic topic.t');
  });
});
