import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { ChdbEngine } from './chdb-engine';
import { failureBody, toClickHouseFailure, type ClickHouseFailure } from './clickhouse-error';
import { parseEndpointQuery } from './request-settings';

export interface ClickHouseEndpointOptions {
  dataDir: string;
  port: number;
  host?: string;
  /**
   * The one user that may query, as on a server with a password; unset: anyone (the local stack,
   * on loopback). Lets a test check that the services send ClickHouse credentials.
   */
  user?: { name: string; password: string };
  /** Serve HTTPS with this PEM certificate and key, as a server with `https_port` does. */
  tls?: { cert: string; key: string };
}

export interface ClickHouseEndpoint {
  url: string;
  version: string;
  close(): Promise<void>;
}

/**
 * An HTTP endpoint that speaks the ClickHouse HTTP interface as far as @clickhouse/client uses it
 * (ping, queries with `{name:Type}` parameters and formats, JSONEachRow inserts, DDL, gzip, and
 * errors with ClickHouse's code), over the chdb engine. Production talks to a ClickHouse server;
 * this lets the same client code run on a machine without one. The local stack's takes no
 * credentials (it listens on loopback); a test may give it a user and a TLS certificate.
 */
export async function startClickHouseEndpoint(
  options: ClickHouseEndpointOptions,
): Promise<ClickHouseEndpoint> {
  const engine = new ChdbEngine(options.dataDir);
  const serve = (request: IncomingMessage, response: ServerResponse) => {
    // Like a server's, /ping answers anyone: it is what load balancers and probes ask.
    const ping = (request.url ?? '').startsWith('/ping');
    if (options.user && !ping && !authenticated(request, options.user)) {
      sendFailure(response, AUTHENTICATION_FAILED, engine.version);
      request.resume();
      return;
    }
    handle(engine, request, response).catch((error: unknown) => {
      sendFailure(response, toClickHouseFailure(error), engine.version);
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, serve) : createServer(serve);
  // Like a ClickHouse server (keep_alive_timeout), keep idle connections longer than a client whose
  // event loop was busy for a few seconds would take to notice they are stale: Node's 5 s default
  // made such a client write into a socket the endpoint had just closed (EPIPE).
  server.keepAliveTimeout = 30_000;
  await listen(server, options.port, options.host ?? '127.0.0.1');
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://${address}:${port}`,
    version: engine.version,
    async close() {
      await new Promise<void>((resolve) => {
        // Keep-alive clients go on sending on their open connections, which would keep the server up
        // for as long as they are busy: each is closed once idle, and whatever is left after a grace.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const grace = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      });
      await engine.close();
    },
  };
}

const AUTHENTICATION_FAILED: ClickHouseFailure = {
  code: 516,
  name: 'AUTHENTICATION_FAILED',
  message: 'Authentication failed: password is incorrect, or there is no user with such name.',
  httpStatus: 403,
};

/** The user of a request, as a ClickHouse server reads it: Basic auth, X-ClickHouse-* headers or URL parameters. */
function authenticated(request: IncomingMessage, user: { name: string; password: string }): boolean {
  const url = new URL(request.url ?? '/', 'http://endpoint');
  let name = request.headers['x-clickhouse-user'] ?? url.searchParams.get('user') ?? 'default';
  let password = request.headers['x-clickhouse-key'] ?? url.searchParams.get('password') ?? '';
  const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    [name, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  const same = (a: string, b: string) => {
    const [x, y] = [Buffer.from(a), Buffer.from(b)];
    return x.length === y.length && timingSafeEqual(x, y);
  };
  return same(String(name), user.name) && same(String(password), user.password);
}

async function handle(engine: ChdbEngine, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://endpoint');
  const body = await readBody(request);
  if (url.pathname === '/ping' || (url.pathname === '/' && !url.searchParams.has('query') && body === '')) {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
    return;
  }
  if (url.pathname !== '/') {
    sendFailure(
      response,
      { code: 1001, name: 'STD_EXCEPTION', message: `No handler for ${url.pathname}`, httpStatus: 404 },
      engine.version,
    );
    return;
  }
  const query = parseEndpointQuery(url.searchParams, body);
  if ('httpStatus' in query) {
    sendFailure(response, query, engine.version);
    return;
  }
  const outcome = await engine.execute(query);
  const gzip = query.compressResponse && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-ClickHouse-Summary': JSON.stringify({
      read_rows: String(outcome.readRows),
      read_bytes: String(outcome.readBytes),
      elapsed_ns: String(Math.round(outcome.elapsedSeconds * 1e9)),
    }),
    'X-ClickHouse-Timezone': 'UTC',
  };
  if (query.queryId) headers['X-ClickHouse-Query-Id'] = query.queryId;
  if (gzip) headers['Content-Encoding'] = 'gzip';
  response.writeHead(200, headers).end(gzip ? gzipSync(outcome.body) : outcome.body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  switch (request.headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(raw).toString('utf8');
    case 'deflate':
      return inflateSync(raw).toString('utf8');
    default:
      return raw.toString('utf8');
  }
}

function sendFailure(response: ServerResponse, failure: ClickHouseFailure, version: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response
    .writeHead(failure.httpStatus, {
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(failure.code),
    })
    .end(failureBody(failure, version));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
