import { randomUUID } from 'node:crypto';
import {
  encodeBinary,
  encodeStructured,
  getDefaultActivityCatalog,
  type ActivityEvent,
  type KafkaMessageLike,
} from '@chronicle/contracts';
import { classifyRecord, DEAD_LETTER_REASONS, type ClassifyContext } from './record-classifier';

const catalog = getDefaultActivityCatalog();
const example = catalog.get('app.viewed')?.example as ActivityEvent;
const nowMs = Date.parse(example.time) + 60_000;
const context: ClassifyContext = {
  catalog,
  nowMs,
  admission: { retentionDays: 90, maxFutureMs: 86_400_000 },
};

/** A structured record as kcat sends it without `-H`: the value alone. */
const headerless = (event: unknown): KafkaMessageLike => ({
  key: 'u_123',
  value: Buffer.from(JSON.stringify(event)),
});

describe('classifyRecord', () => {
  it('stores a structured event without content-type and with a UUIDv4 id, marking the binding inferred', () => {
    const event = { ...example, id: randomUUID() };
    const verdict = classifyRecord(headerless(event), context);
    expect(verdict).toMatchObject({ kind: 'store', structuredInferred: true, row: { id: event.id } });
  });

  it('marks the binding inferred whatever becomes of the record', () => {
    expect(classifyRecord(headerless({ ...example, type: 'app.deleted' }), context)).toMatchObject({
      kind: 'dead',
      ...DEAD_LETTER_REASONS.invalid,
      structuredInferred: true,
    });
    const old = { ...example, time: new Date(nowMs - 91 * 86_400_000).toISOString() };
    expect(classifyRecord(headerless(old), context)).toEqual({ kind: 'expired', structuredInferred: true });
  });

  it('does not mark records that said their binding, nor values that are no CloudEvent', () => {
    for (const message of [encodeBinary(example), encodeStructured(example)])
      expect(classifyRecord(message, context)).toMatchObject({ kind: 'store', structuredInferred: false });
    expect(classifyRecord(headerless(example.data), context)).toMatchObject({
      kind: 'dead',
      ...DEAD_LETTER_REASONS.undecodable,
      structuredInferred: false,
    });
  });
});
