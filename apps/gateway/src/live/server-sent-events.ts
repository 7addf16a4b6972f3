import type { ActivityFilter } from '@chronicle/events-store';
import type { Request, Response } from 'express';
import { watchSendStall } from '../limits/send-stall';
import { whenTokenExpires } from '../limits/token-expiry';
import type { LiveFeed } from './live-feed';

/** Proxies and load balancers drop a connection that stays silent; a comment line every 15 s keeps it. */
const HEARTBEAT_MS = 15_000;
/** A client that reads slower than activities arrive is cut off rather than buffered for without bound. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ServerSentEventsOptions {
  /** When the caller's token stops verifying (ms since the epoch): the stream ends then. */
  validUntil: number;
  /** The client is cut off when it has read nothing for this long while events wait. */
  sendStallMs: number;
  /** Called once when the stream ends, however it ends. */
  onEnd: () => void;
}

/**
 * Streams the live feed to one client as Server-Sent Events: `event: activity`, `id:` the activity id,
 * `data:` the activity as JSON. Ends when the client goes away, when its token expires (`event:
 * expired`), or when it falls behind (`event: overflow`: more than MAX_BUFFERED_BYTES waiting, or
 * nothing read for `sendStallMs`).
 */
export function streamServerSentEvents(
  feed: LiveFeed,
  filter: ActivityFilter,
  request: Request,
  response: Response,
  options: ServerSentEventsOptions,
): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('Connection', 'keep-alive');
  // nginx buffers responses by default, which would hold events back.
  response.setHeader('X-Accel-Buffering', 'no');
  response.flushHeaders();
  response.write(': connected\nretry: 3000\n\n');

  let ended = false;
  let cancelExpiry = () => undefined as void;
  const end = (event?: { name: string; reason: string }) => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    cancelExpiry();
    stopWatching();
    unsubscribe();
    options.onEnd();
    if (response.writableEnded) return;
    if (event) response.write(`event: ${event.name}\ndata: ${JSON.stringify({ reason: event.reason })}\n\n`);
    response.end();
    // A client that reads nothing would keep the socket (and the bytes for it) for ever.
    if (event?.name === 'overflow') response.destroy();
  };
  const overflow = (reason: string) => end({ name: 'overflow', reason });
  const unsubscribe = feed.subscribe(filter, (activity) => {
    if (response.writableLength > MAX_BUFFERED_BYTES) return overflow('the client reads too slowly');
    response.write(`event: activity\nid: ${activity.id}\ndata: ${JSON.stringify(activity)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
  const stopWatching = watchSendStall(response, options.sendStallMs, () =>
    overflow(`the client read nothing for ${options.sendStallMs} ms`),
  );
  // Assigned after the call: a token already past its time ends the stream inside it.
  cancelExpiry = whenTokenExpires(options.validUntil, () =>
    end({ name: 'expired', reason: 'the token has expired' }),
  );
  request.once('close', () => end());
}
