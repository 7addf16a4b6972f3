import {
  encodeBinary,
  encodeStructured,
  getDefaultActivityCatalog,
  uuidv7,
  type ActivityEvent,
  type EncodedKafkaMessage,
} from '@chronicle/contracts';

/** What a test publishes, and what it must find afterwards. */
export interface IngestDataset {
  /** In publishing order, duplicates included. */
  messages: EncodedKafkaMessage[];
  /** Ids of the valid events: exactly what the table must hold. */
  validIds: Set<string>;
  /** How many invalid records of each DLQ reason were published. */
  invalidByReason: Map<string, number>;
  duplicates: number;
}

export interface DatasetOptions {
  /** Distinct records (valid + invalid), before duplicates. */
  total: number;
  invalidRate?: number;
  duplicateRate?: number;
  seed?: number;
  nowMs?: number;
  users?: number;
  /** Events fall in the `spreadDays` days before now. */
  spreadDays?: number;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same dataset. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const examples = getDefaultActivityCatalog()
  .definitions()
  .map((info) => info.example as ActivityEvent);

/** A valid event of a random catalog type, for `actorId` at `timeMs`. */
export function validEvent(random: () => number, actorId: string, timeMs: number): ActivityEvent {
  const example = examples[Math.floor(random() * examples.length)] as ActivityEvent;
  const event = structuredClone(example);
  event.id = uuidv7();
  event.time = new Date(timeMs).toISOString();
  if (event.data.actor.type === 'user') event.data.actor = { type: 'user', id: actorId };
  return event;
}

/** Personal data a producer might wrongly use as an id; dead letters must not repeat it. */
export const PHONE_ID = '+44 20 7946 0958';
export const CARD_ID = '4111 1111 1111 1111';

/** The ways a record can be invalid, each with the DLQ reason it must get. */
const INVALID_KINDS: {
  reason: string;
  make: (event: ActivityEvent, nowMs: number) => EncodedKafkaMessage;
}[] = [
  {
    reason: 'undecodable',
    make: (event) => ({ ...encodeBinary(event), value: Buffer.from('{"actor": truncated') }),
  },
  {
    reason: 'undecodable',
    make: (event) => ({
      key: event.data.actor.id,
      value: Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      headers: {},
    }),
  },
  { reason: 'invalid', make: (event) => encodeBinary({ ...event, type: 'app.teleported' }) },
  {
    reason: 'invalid',
    make: (event) =>
      encodeStructured({
        ...event,
        data: { ...event.data, actor: { type: 'user', id: 'jane.doe@example.com' } },
      }),
  },
  // Personal data as ids: a phone number as the actor, a card number as the entity.
  {
    reason: 'invalid',
    make: (event) =>
      encodeBinary({ ...event, data: { ...event.data, actor: { type: 'user', id: PHONE_ID } } }),
  },
  {
    reason: 'invalid',
    make: (event) =>
      encodeStructured({
        ...event,
        subject: `app/${CARD_ID}`,
        data: { ...event.data, entity: { type: 'app', id: CARD_ID } },
      }),
  },
  {
    reason: 'invalid',
    make: (event) => {
      const { id: _id, ...withoutId } = event;
      return encodeStructured(withoutId as ActivityEvent);
    },
  },
  {
    reason: 'time_in_future',
    make: (event, nowMs) => encodeBinary({ ...event, time: new Date(nowMs + 3 * 86_400_000).toISOString() }),
  },
];

/**
 * `total` records, `invalidRate` of them invalid (in every way of INVALID_KINDS), `duplicateRate` of the
 * valid ones published a second time later on (as a producer retry would), a tenth of the valid ones
 * in the structured binding.
 */
export function buildIngestDataset(options: DatasetOptions): IngestDataset {
  const random = seededRandom(options.seed ?? 1);
  const nowMs = options.nowMs ?? Date.now();
  const users = options.users ?? 5_000;
  const spreadMs = (options.spreadDays ?? 30) * 86_400_000;
  const invalidEvery = Math.round(1 / (options.invalidRate ?? 0.01));
  const duplicateRate = options.duplicateRate ?? 0.05;

  const ordered: { at: number; message: EncodedKafkaMessage }[] = [];
  const validIds = new Set<string>();
  const invalidByReason = new Map<string, number>();
  let duplicates = 0;
  for (let i = 0; i < options.total; i++) {
    const event = validEvent(
      random,
      `u_${Math.floor(random() * users)}`,
      nowMs - Math.floor(random() * spreadMs),
    );
    if (i % invalidEvery === invalidEvery - 1) {
      const kind = INVALID_KINDS[
        Math.floor(i / invalidEvery) % INVALID_KINDS.length
      ] as (typeof INVALID_KINDS)[0];
      ordered.push({ at: i, message: kind.make(event, nowMs) });
      invalidByReason.set(kind.reason, (invalidByReason.get(kind.reason) ?? 0) + 1);
      continue;
    }
    const message = random() < 0.1 ? encodeStructured(event) : encodeBinary(event);
    validIds.add(event.id);
    ordered.push({ at: i, message });
    if (random() < duplicateRate) {
      duplicates++;
      ordered.push({ at: i + 1 + random() * options.total * 0.2, message });
    }
  }
  ordered.sort((a, b) => a.at - b.at);
  return { messages: ordered.map((o) => o.message), validIds, invalidByReason, duplicates };
}
