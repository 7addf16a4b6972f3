import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toActivityEvent, uuidv7 } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import { Registry } from 'prom-client';
// This test reads the dashboard of tools/pipeline and runs the gateway's test bed (the whole pipeline).
// eslint-disable-next-line @nx/enforce-module-boundaries -- the gateway's own test bed, not a second copy
import {
  COLLECTOR_SOURCE,
  createPipelineTestBed,
  type PipelineTestBed,
} from '../../../apps/gateway/test/pipeline-test-bed';
import { dashboardQueries, expandGrafanaVariables, readDashboard } from './pipeline-dashboard';
import { startPrometheusTestServer, type PrometheusTestServer } from './prometheus-test-server';
import { runPromtool } from './promtool';

/*
 * Every query of the Pipeline dashboard against a real Prometheus (Debian's binary, as `npm start`
 * runs it) scraping the whole pipeline of a test (the gateway, both workers and an SDK client) after
 * some traffic: each must return at least one series, or the panel would show "No data" on a healthy
 * pipeline because of a misspelt metric, label or job.
 */

jest.setTimeout(300_000);

/** Grafana's `$__rate_interval` at a 1 s scrape interval: at least four scrapes. */
const RATE_INTERVAL = '4s';

const today = () => new Date().toISOString().slice(0, 10);

describe('the Pipeline dashboard on a real Prometheus scraping a running pipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-pipeline-dashboard-'));
  let bed: PipelineTestBed | undefined;
  let prometheus: PrometheusTestServer | undefined;
  let sdkMetrics: Server | undefined;

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => (sdkMetrics ? sdkMetrics.close(resolve) : resolve(undefined)));
    await bed?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has at least one series for every panel query, and promtool finds nothing wrong in our metrics', async () => {
    // The SDK's metrics, in the registry of the application that hosts it (the simulator's in production).
    const sdkRegistry = new Registry();
    sdkRegistry.setDefaultLabels({ service: 'pipeline-dashboard-test' });
    const sdkServer = createServer((_request, response) => {
      void sdkRegistry.metrics().then((text) => {
        response.writeHead(200, { 'content-type': sdkRegistry.contentType });
        response.end(text);
      });
    });
    sdkMetrics = sdkServer;
    await new Promise<void>((resolve) => sdkServer.listen(0, '127.0.0.1', resolve));
    const sdkMetricsUrl = `http://127.0.0.1:${(sdkServer.address() as { port: number }).port}/metrics`;

    bed = await createPipelineTestBed('pipeline_dashboard', { sdkRegistry });
    const current = bed;
    const { ingest, analytics } = current.workerMetricsUrls;
    if (!ingest || !analytics) throw new Error('the test bed gave no worker metrics URLs');
    // Job names as `npm start`'s Prometheus names them (the dashboard's `up` panel selects them).
    prometheus = await startPrometheusTestServer({
      dir,
      targets: [
        { job: 'gateway', metricsUrl: `${current.gatewayUrl}/metrics` },
        { job: 'ingest-worker', metricsUrl: ingest },
        { job: 'analytics-worker', metricsUrl: analytics },
        { job: 'sdk', metricsUrl: sdkMetricsUrl },
      ],
    });

    // Traffic: events through the SDK and the collector, reads, analytics, a 4xx and an erasure.
    const user = `u_dash_${uuidv7().slice(-8)}`;
    for (let n = 0; n < 20; n++)
      current.sdk.log({
        type: 'app.viewed',
        actor: { type: 'user', id: user },
        entity: { type: 'app', id: `app_${n % 3}` },
        metadata: { referrer: 'search' },
      });
    const collected = await fetch(`${current.gatewayUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': current.apiKey },
      body: JSON.stringify({
        events: [
          toActivityEvent(
            {
              type: 'favorite.added',
              actor: { type: 'user', id: user },
              entity: { type: 'app', id: 'app_0' },
              metadata: { surface: 'app_page' },
            },
            { source: COLLECTOR_SOURCE },
          ),
        ],
      }),
    });
    expect(collected.status).toBe(200);
    await current.caughtUp();

    const admin = await current.token('dashboard-admin', { admin: true });
    const requests: [string, RequestInit, number][] = [
      [`/api/admin/activities?userId=${user}`, { headers: { authorization: `Bearer ${admin}` } }, 200],
      [
        `/api/admin/analytics/dau?from=${today()}&to=${today()}`,
        { headers: { authorization: `Bearer ${admin}` } },
        200,
      ],
      ['/api/users/me/activity', { headers: { authorization: `Bearer ${await current.token(user)}` } }, 200],
      ['/api/admin/activities', {}, 401],
      [
        '/api/users/me/activity',
        { method: 'DELETE', headers: { authorization: `Bearer ${await current.token(user)}` } },
        202,
      ],
    ];
    for (const [path, init, status] of requests) {
      const response = await fetch(`${current.gatewayUrl}${path}`, init);
      await response.arrayBuffer();
      expect({ path, status: response.status }).toEqual({ path, status });
    }
    await current.caughtUp();

    // Every query, polled until it has a series (rates need a few scrapes after the traffic).
    const server = prometheus;
    const queries = dashboardQueries(readDashboard()).map((query) => ({
      ...query,
      expanded: expandGrafanaVariables(query.expr, RATE_INTERVAL),
    }));
    expect(queries.length).toBeGreaterThan(0);
    /** The queries without a series yet, with why (an error of Prometheus, or none). */
    const empty = new Map(queries.map((query) => [query, 'no series']));
    await waitFor(
      async () => {
        for (const query of [...empty.keys()]) {
          try {
            if ((await server.query(query.expanded)).length > 0) empty.delete(query);
          } catch (error) {
            empty.set(query, (error as Error).message);
          }
        }
        return empty.size === 0;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what: 'a series for every panel query' },
    ).catch(() => undefined); // reported below, panel by panel
    const up = (await server.query('up'))
      .map(({ metric, value }) => `${metric['job']}=${value[1]}`)
      .join(', ');
    expect({
      up,
      empty: [...empty].map(([{ label, expanded }, why]) => `${label} (${why}): ${expanded}`),
    }).toEqual({ up, empty: [] });

    // Names, types, help and suffixes by Prometheus' conventions: promtool finds nothing in ours on any
    // page (prom-client's own process_* and nodejs_* series are not ours to rename).
    const findings: string[] = [];
    for (const url of [`${current.gatewayUrl}/metrics`, ingest, analytics, sdkMetricsUrl]) {
      const page = await (await fetch(url)).text();
      const { output } = runPromtool(['check', 'metrics'], { input: page });
      for (const line of output.split('\n'))
        if (line.startsWith('chronicle_')) findings.push(`${url}: ${line}`);
    }
    expect(findings).toEqual([]);
  });
});
