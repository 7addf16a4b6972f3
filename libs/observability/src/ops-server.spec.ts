import { request as httpRequest, Agent } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { startOpsServer, type HealthReport, type OpsServer, type OpsServerOptions } from './ops-server';

describe('startOpsServer', () => {
  let server: OpsServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(overrides: Partial<OpsServerOptions> = {}): Promise<OpsServer> {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      health: async () => ({ ok: true }),
      ...overrides,
    });
    return server;
  }

  it('serves the registry on GET /metrics in the Prometheus text format', async () => {
    const registry = new Registry();
    new Counter({ name: 'test_things_total', help: 'Things.', registers: [registry] }).inc(3);
    const { url } = await start({ registry });

    const response = await fetch(`${url}/metrics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    expect(response.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await response.text()).toContain('test_things_total 3');
  });

  it('ignores the query string', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/metrics?debug=1`)).status).toBe(200);
  });

  it('answers 500 when collecting the metrics fails', async () => {
    const registry = {
      contentType: 'text/plain',
      metrics: () => Promise.reject(new Error('collector broke')),
    };
    const { url } = await start({ registry });

    const response = await fetch(`${url}/metrics`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'collecting metrics failed: collector broke' });
  });

  it('answers GET /health with 200 and the report when the check is ok', async () => {
    const { url } = await start({ health: async () => ({ ok: true, details: { kafka: 'connected' } }) });

    const response = await fetch(`${url}/health`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ok: true, details: { kafka: 'connected' } });
  });

  it('serves readiness on /health/ready and /health, and liveness apart on /health/live', async () => {
    const { url } = await start({
      health: async () => ({ ok: false, details: { consumers: { stalled: [{ partition: 3 }] } } }),
      live: async () => ({ ok: true, details: { consumers: 'running' } }),
    });
    for (const path of ['/health/ready', '/health']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        ok: false,
        details: { consumers: { stalled: [{ partition: 3 }] } },
      });
    }
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ ok: true, details: { consumers: 'running' } });
  });

  it('is live by default, and not live when its liveness check says so', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    await server?.close();
    const dead = await start({ live: async () => ({ ok: false, details: { consumer: 'crashed' } }) });
    expect((await fetch(`${dead.url}/health/live`)).status).toBe(503);
  });

  it('answers 503 when the check is not ok', async () => {
    const { url } = await start({ health: async () => ({ ok: false, details: { kafka: 'unreachable' } }) });

    const response = await fetch(`${url}/health`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, details: { kafka: 'unreachable' } });
  });

  it('answers 503 with the reason when the check throws', async () => {
    const { url } = await start({ health: () => Promise.reject(new Error('database is gone')) });

    const response = await fetch(`${url}/health`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, error: 'database is gone' });
  });

  it('answers 503 when the check does not answer in time', async () => {
    const { url } = await start({
      health: () => new Promise<HealthReport>(() => undefined),
      healthTimeoutMs: 50,
    });

    const response = await fetch(`${url}/health`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, error: 'health check timed out after 50 ms' });
  });

  it('answers HEAD with the headers only', async () => {
    const { url } = await start();

    const response = await fetch(`${url}/health`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('refuses other methods with 405 and names the allowed ones', async () => {
    const { url } = await start();

    const response = await fetch(`${url}/metrics`, { method: 'POST' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 404 on unknown paths', async () => {
    const { url } = await start();

    const response = await fetch(`${url}/admin`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'no route /admin; try /metrics, /health/live or /health/ready',
    });
  });

  it('picks a free port when asked for port 0 and reports it', async () => {
    const { port, url } = await start();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
  });

  it('fails to start, naming the port, when the port is taken', async () => {
    const { port } = await start();
    await expect(
      startOpsServer({
        port,
        host: '127.0.0.1',
        registry: new Registry(),
        health: async () => ({ ok: true }),
      }),
    ).rejects.toThrow(`ops server could not listen on port ${port}: listen EADDRINUSE`);
  });

  it('closes even while a scraper keeps its connection alive', async () => {
    const { port } = await start();
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);

    await server?.close();
    server = undefined;

    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    agent.destroy();
  });
});
