import { createClient, type Client } from 'graphql-ws';
import { connect } from 'node:net';
import WebSocket from 'ws';

/** What a live-feed client saw, with when each activity arrived. */
export interface LiveReceiver {
  received: { id: string; at: number; activity: Record<string, unknown> }[];
  close(): void;
}

/** Reads the SSE stream at `url` (an open response), collecting `event: activity` messages. */
export async function openServerSentEvents(url: string, token: string): Promise<LiveReceiver> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) throw new Error(`SSE answered ${response.status}`);
  const received: LiveReceiver['received'] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (message.includes('event: activity') && data) {
            const activity = JSON.parse(data.slice(6)) as Record<string, unknown>;
            received.push({ id: activity['id'] as string, at: Date.now(), activity });
          }
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return { received, close: () => controller.abort() };
}

/** Subscribes to `activityAdded(filter)` over graphql-ws, collecting the activities. */
export async function openGraphqlSubscription(
  wsUrl: string,
  token: string,
  filter: Record<string, unknown>,
): Promise<LiveReceiver & { client: Client; errors: unknown[] }> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // The 'closed' listener below reports a refused connection; graphql-ws would also console.error it.
    onNonLazyError: () => undefined,
  });
  const received: LiveReceiver['received'] = [];
  const errors: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) =>
      reject(new Error(`graphql-ws closed: ${(event as { code?: number }).code}`)),
    );
  });
  client.subscribe<{ activityAdded: Record<string, unknown> }>(
    {
      query: `subscription ($filter: ActivityFilter) {
        activityAdded(filter: $filter) { id type occurredAt actor { type id } entity { type id } source metadata }
      }`,
      variables: { filter },
    },
    {
      next: (result) => {
        const activity = result.data?.activityAdded;
        if (activity) received.push({ id: activity['id'] as string, at: Date.now(), activity });
        if (result.errors) errors.push(result.errors);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  return { client, received, errors, close: () => void client.dispose() };
}

/** A client that asked for something and then stopped reading, with the status it was answered. */
export interface StalledClient {
  status: number;
  headers: Record<string, string>;
  /**
   * Starts reading again and resolves with the bytes of body received in all once the server closes
   * the connection; a server that gave up on the client sent far less than the whole answer.
   */
  readToEnd(): Promise<number>;
  destroy(): void;
}

/**
 * Sends `GET path` over a raw socket, reads the status line and headers, then reads nothing more:
 * the server's bytes pile up in the socket buffers until it gives up on the client or the test ends.
 */
export function stalledGet(baseUrl: string, path: string, token: string): Promise<StalledClient> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let head = '';
    socket.once('error', reject);
    socket.on('data', function onData(chunk: Buffer) {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      const [statusLine = '', ...lines] = head.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      let bodyBytes = Buffer.byteLength(head, 'latin1') - end - 4;
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        readToEnd: () =>
          new Promise((done) => {
            socket.on('data', (more: Buffer) => (bodyBytes += more.length));
            socket.on('error', () => undefined); // a reset is how a cut-off download may end
            socket.once('close', () => done(bodyBytes));
            socket.resume();
          }),
        destroy: () => socket.destroy(),
      });
    });
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: keep-alive\r\n\r\n`,
    );
  });
}
