import type { ActivityEvent } from '@chronicle/contracts';
import type { DeliveryListener, DropReason } from '@chronicle/sdk';
import { createWriteStream, type WriteStream } from 'node:fs';

/** What a ledger holds once closed, for the run's summary. */
export interface LedgerSummary {
  path: string;
  /** Events reported published. */
  published: number;
  /** Events reported dropped, whether or not they could be built. */
  dropped: number;
}

/** Lines are written in chunks of about this many characters, or at the next turn of the event loop. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The simulator's id ledger (`--ledger <file>`): one NDJSON line per event the SDK reported on, as
 * its clients' `onDelivery` listener —
 * `{"outcome":"published","id":…,"time":…,"type":…,"actor":{…},"entity":{…}}`, or
 * `{"outcome":"dropped","reason":"queue_full","count":1,"id":…,…}` for each dropped event that could
 * be built, and `{"outcome":"dropped","reason":"invalid","count":n}` for those that could not.
 *
 * The SDK calls the listener synchronously, so lines are only buffered there; they reach the file in
 * chunks, and while the stream asks to wait ('drain') they stay buffered rather than piling up
 * inside it. close() writes the rest and resolves once the file is closed.
 */
export class DeliveryLedger implements DeliveryListener {
  private pending: string[] = [];
  private pendingChars = 0;
  private writeScheduled = false;
  private waitingForDrain = false;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;
  private publishedCount = 0;
  private droppedCount = 0;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => (this.failure ??= error));
  }

  /** Creates (or truncates) the file; rejects when it cannot be opened, before anything is logged. */
  static open(path: string): Promise<DeliveryLedger> {
    return new Promise((resolve, reject) => {
      const stream = createWriteStream(path, { flags: 'w' });
      const onError = (error: Error) => reject(new Error(`--ledger: cannot write ${path}: ${error.message}`));
      stream.once('error', onError);
      stream.once('ready', () => {
        stream.off('error', onError);
        resolve(new DeliveryLedger(path, stream));
      });
    });
  }

  published(events: readonly ActivityEvent[]): void {
    if (this.closing !== undefined) return;
    this.publishedCount += events.length;
    for (const event of events) this.append(eventLine({ outcome: 'published' }, event));
  }

  dropped(reason: DropReason, count: number, events: readonly ActivityEvent[]): void {
    if (this.closing !== undefined) return;
    this.droppedCount += count;
    for (const event of events) this.append(eventLine({ outcome: 'dropped', reason, count: 1 }, event));
    // The SDK reports all of them or none; whatever it could not build is one line with the count.
    const unbuilt = count - events.length;
    if (unbuilt > 0) this.append(`${JSON.stringify({ outcome: 'dropped', reason, count: unbuilt })}\n`);
  }

  summary(): LedgerSummary {
    return { path: this.path, published: this.publishedCount, dropped: this.droppedCount };
  }

  /** Writes what is buffered and closes the file; later reports are ignored. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    const rest = this.takePending();
    if (!this.stream.closed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', resolve);
        this.stream.end(rest);
      });
    }
    if (this.failure) throw new Error(`--ledger: writing ${this.path} failed: ${this.failure.message}`);
  }

  private append(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= CHUNK_CHARS) this.write();
    else if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => {
        this.writeScheduled = false;
        this.write();
      });
    }
  }

  private write(): void {
    if (this.waitingForDrain || this.closing !== undefined || this.pending.length === 0) return;
    if (this.stream.write(this.takePending())) return;
    this.waitingForDrain = true;
    this.stream.once('drain', () => {
      this.waitingForDrain = false;
      this.write();
    });
  }

  private takePending(): string {
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return text;
  }
}

function eventLine(outcome: Record<string, unknown>, event: ActivityEvent): string {
  const { actor, entity } = event.data;
  return `${JSON.stringify({
    ...outcome,
    id: event.id,
    time: event.time,
    type: event.type,
    // An invalid event, reported dropped, may lack them; JSON.stringify leaves undefined out.
    actor: actor ? { type: actor.type, id: actor.id } : undefined,
    entity: entity ? { type: entity.type, id: entity.id } : undefined,
  })}\n`;
}
