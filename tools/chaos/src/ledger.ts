import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ActivityEvent } from '@chronicle/contracts';

/** An event as the simulator's `--ledger` records it: what the reference needs, no metadata. */
export interface LedgerEvent {
  id: string;
  time: string;
  type: string;
  actor: { type: string; id: string };
  entity?: { type: string; id: string };
}

export interface Ledger {
  /** Every event the SDK reported acknowledged by Kafka. */
  published: LedgerEvent[];
  /** Events the SDK reported dropped, by reason. */
  dropped: Record<string, number>;
}

type LedgerLine =
  | ({ outcome: 'published' } & LedgerEvent)
  | ({ outcome: 'dropped'; reason: string; count: number } & Partial<LedgerEvent>);

/** Reads a ledger file line by line (a full run's is hundreds of MB of JSON). */
export async function readLedger(path: string): Promise<Ledger> {
  const ledger: Ledger = { published: [], dropped: {} };
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text.length === 0) continue;
    const line = JSON.parse(text) as LedgerLine;
    if (line.outcome === 'published') {
      const { id, time, type, actor, entity } = line;
      ledger.published.push(entity ? { id, time, type, actor, entity } : { id, time, type, actor });
    } else ledger.dropped[line.reason] = (ledger.dropped[line.reason] ?? 0) + line.count;
  }
  return ledger;
}

/** A ledger event as the reference computation reads it (it looks at id, type, time, actor, entity). */
export function asActivityEvent(event: LedgerEvent): ActivityEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source: '/ledger',
    type: event.type,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.entity
      ? { actor: event.actor, entity: event.entity, metadata: {} }
      : { actor: event.actor, metadata: {} },
  } as ActivityEvent;
}

export function toLedgerEvent(event: ActivityEvent): LedgerEvent {
  const { actor, entity } = event.data;
  return entity
    ? { id: event.id, time: event.time, type: event.type, actor, entity }
    : { id: event.id, time: event.time, type: event.type, actor };
}
