/** What the watch needs of a response or socket: whether bytes wait for the client, and when they drained. */
export interface DrainingWritable {
  readonly writableNeedDrain: boolean;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * Calls `onStall` once when `stream` has had bytes waiting for its client, none of them taken, for
 * `stallMs`: a client that stopped reading. A client that reads slowly but reads is left alone, as is
 * one that has nothing to read (an idle live stream). Returns the function that stops watching; it
 * also stops when the stream closes.
 */
export function watchSendStall(stream: DrainingWritable, stallMs: number, onStall: () => void): () => void {
  let lastProgress = Date.now();
  const onDrain = () => (lastProgress = Date.now());
  const check = setInterval(
    () => {
      if (!stream.writableNeedDrain) lastProgress = Date.now();
      else if (Date.now() - lastProgress >= stallMs) {
        stop();
        onStall();
      }
    },
    Math.max(10, Math.min(1_000, Math.floor(stallMs / 4))),
  );
  check.unref();
  const stop = () => {
    clearInterval(check);
    stream.off('drain', onDrain);
    stream.off('close', stop);
  };
  stream.on('drain', onDrain);
  stream.on('close', stop);
  return stop;
}
