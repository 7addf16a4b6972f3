import { Registry } from 'prom-client';
import { IngestWorkerMetrics } from './ingest-worker.metrics';

describe('IngestWorkerMetrics', () => {
  it('serves every series while Postgres does not answer, keeping the erasure gauges at their last value', async () => {
    const registry = new Registry();
    let postgresUp = true;
    const read = (value: number) => async () => {
      if (!postgresUp) throw new Error('connect ECONNREFUSED 127.0.0.1:15432');
      return value;
    };
    new IngestWorkerMetrics(registry, { count: read(3), oldestAgeSeconds: read(42) }, ['app.viewed']);
    expect(await registry.metrics()).toMatch(/^chronicle_erasures_pending 3$/m);

    postgresUp = false;
    const text = await registry.metrics();
    expect(text).toMatch(/^chronicle_erasures_pending 3$/m);
    expect(text).toMatch(/^chronicle_erasures_oldest_pending_seconds 42$/m);
    expect(text).toMatch(/^chronicle_ingest_events_total\{type="app.viewed"\} 0$/m);
    expect(text).toMatch(/^chronicle_ingest_structured_inferred_total 0$/m);
  });
});
