import type { ActivityFilter } from '@chronicle/events-store';
import type { Request, Response } from 'express';
import type { LiveFeed } from './live-feed';

/** Proxies and load balancers drop a connection that stays silent; a comment line every 15 s keeps it. */
const HEARTBEAT_MS = 15_000;
/** A client that reads slower than activities arrive is cut off rather than buffered for without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Streams the live feed to one client as Server-Sent Events: `event: activity`, `id:` the activity id,
 * `data:` the activity as JSON. Ends when the client goes away.
 */
export function streamServerSentEvents(
  feed: LiveFeed,
  filter: ActivityFilter,
  request: Request,
  response: Response,
): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  // nginx buffers responses by default, which would hold events back.
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.write(': connected\nretry: 3000\n\n');

  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    if (!response.writableEnded) response.end();
  };
  const unsubscribe = feed.subscribe(filter, (activity) => {
    if (response.writableLength > MAX_BUFFERED_BYTES) {
      response.write('event: overflow\ndata: {"reason":"the client reads too slowly"}\n\n');
      close();
      return;
    }
    response.write(`event: activity\nid: ${activity.id}\ndata: ${JSON.stringify(activity)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  request.once('close', close);
}
