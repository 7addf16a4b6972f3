import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a health check reports; `details` is shown as is, so it must hold no secrets. */
export interface HealthReport {
  ok: boolean;
  details?: object;
}

/** What `/metrics` needs; prom-client's Registry fits. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface OpsServerOptions {
  /** 0 picks a free port; `OpsServer.port` says which. */
  port: number;
  /**
   * Defaults to 127.0.0.1: local unless told otherwise. Where Prometheus scrapes from another host
   * or container, the service is configured to listen on 0.0.0.0 (OPS_HOST).
   */
  host?: string;
  registry: MetricsSource;
  /** Readiness: `/health/ready` (and `/health`, kept for older probes). */
  health: () => Promise<HealthReport>;
  /**
   * Liveness, `/health/live`: false only when a restart would help (the service's loop is gone).
   * By default the process answering at all is alive.
   */
  live?: () => Promise<HealthReport>;
  /** A check that has not answered by then is reported as failing, so a hung dependency cannot hang probes. */
  healthTimeoutMs?: number;
}

export interface OpsServer {
  readonly port: number;
  /** `http://<host>:<port>`, for logs and tests. */
  readonly url: string;
  /** Stops listening and ends open connections (Prometheus keeps them alive). */
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const DEFAULT_HEALTH_TIMEOUT_MS = 5_000;

/**
 * The operations endpoint every Chronicle process serves beside its real work: `GET /metrics` in the
 * Prometheus text format, `GET /health/live` and `GET /health/ready` (also `/health`), 200 when the
 * check says ok and 503 otherwise, with the report as the body. Plain node:http, so that workers
 * without a web framework serve it the same way as the gateway.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const healthTimeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const live = options.live ?? (async () => ({ ok: true }));
  const ready = () => healthReply(options.health, healthTimeoutMs);
  const routes: Record<string, () => Promise<Reply>> = {
    '/metrics': () => metricsReply(options.registry),
    '/health/live': () => healthReply(live, healthTimeoutMs),
    '/health/ready': ready,
    '/health': ready,
  };

  const server = createServer((request, response) => {
    void handle(routes, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new Error(`ops server could not listen on port ${options.port}: ${error.message}`)),
    );
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });

  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

async function handle(
  routes: Record<string, () => Promise<Reply>>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0] as string;
  const route = routes[path];
  let reply: Reply;
  if (route === undefined)
    reply = jsonReply(404, { error: `no route ${path}; try /metrics, /health/live or /health/ready` });
  else if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    reply = jsonReply(405, { error: `${request.method} not allowed; use GET` });
  } else reply = await route();

  response.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    // Probes and scrapes must see the present, not a proxy's copy.
    'Cache-Control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : reply.body);
}

async function metricsReply(registry: MetricsSource): Promise<Reply> {
  try {
    return { status: 200, contentType: registry.contentType, body: await registry.metrics() };
  } catch (error) {
    return jsonReply(500, { error: `collecting metrics failed: ${describe(error)}` });
  }
}

async function healthReply(check: () => Promise<HealthReport>, timeoutMs: number): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const report = await Promise.race([check(), timeout]);
    return jsonReply(report.ok ? 200 : 503, report);
  } catch (error) {
    return jsonReply(503, { ok: false, error: describe(error) });
  } finally {
    clearTimeout(timer);
  }
}

function jsonReply(status: number, body: object): Reply {
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(body) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
