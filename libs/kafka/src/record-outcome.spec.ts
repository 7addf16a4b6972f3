import { Registry } from 'prom-client';
import { RECORD_OUTCOMES, RecordOutcomes } from './record-outcome';

async function byOutcome(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('chronicle_records_total')?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels['outcome']), v.value]));
}

describe('RecordOutcomes', () => {
  it('starts every outcome at 0', async () => {
    const registry = new Registry();
    new RecordOutcomes(registry);
    expect(await byOutcome(registry)).toEqual(Object.fromEntries(RECORD_OUTCOMES.map((o) => [o, 0])));
  });

  it('counts a batch that throws as retried, and lets the error through', async () => {
    const registry = new Registry();
    const outcomes = new RecordOutcomes(registry);
    await outcomes.handle(3, async () => {
      outcomes.count('stored', 2);
      outcomes.count('dead_lettered', 1);
    });
    await expect(outcomes.handle(5, () => Promise.reject(new Error('store down')))).rejects.toThrow(
      'store down',
    );
    expect(await byOutcome(registry)).toEqual({ stored: 2, dead_lettered: 1, dropped: 0, retried: 5 });
  });

  it('shares one counter between the handlers of a registry', async () => {
    const registry = new Registry();
    new RecordOutcomes(registry).count('dropped', 2);
    new RecordOutcomes(registry).count('dropped', 1);
    expect((await byOutcome(registry))['dropped']).toBe(3);
  });
});
