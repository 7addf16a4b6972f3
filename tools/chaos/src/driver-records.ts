import {
  encodeBinary,
  encodeErasureRequest,
  encodeStructured,
  toActivityEvent,
  type ActivityEvent,
  type EncodedKafkaMessage,
  type ErasureRequest,
  uuidv7,
} from '@chronicle/contracts';

/** A record the suite publishes itself that no worker can store, and the DLQ reason it must get. */
export interface PoisonRecord {
  kind: 'undecodable' | 'invalid' | 'oversized';
  message: EncodedKafkaMessage;
  expectedReason: string;
}

/** A valid app.viewed by `userId`, `ageMs` ago, made here rather than by the SDK (its id is ours). */
export function appViewed(userId: string, appId: string, ageMs: number): ActivityEvent {
  return toActivityEvent(
    {
      type: 'app.viewed',
      actor: { type: 'user', id: userId },
      entity: { type: 'app', id: appId },
      metadata: { referrer: 'search', position: 1 },
      time: new Date(Date.now() - ageMs),
    },
    { source: '/services/chaos-suite', id: uuidv7() },
  );
}

/** The same events again, as a producer retrying without idempotence would send them: once per binding. */
export function redeliveries(events: readonly ActivityEvent[]): EncodedKafkaMessage[] {
  return events.flatMap((event) => [encodeBinary(event), encodeStructured(event)]);
}

/** One record of each kind the workers must dead-letter; `tag` keeps each run's records apart. */
export function poisonRecords(tag: string): PoisonRecord[] {
  const valid = appViewed(`chaos-poison-${tag}`, 'app_poison', 0);
  const binary = encodeBinary(valid);
  const invalid: ActivityEvent = { ...valid, data: { ...valid.data, actor: { type: 'user', id: '' } } };
  // Just under the broker's 1 MiB record limit, so that Kafka takes it and the pipeline must refuse it.
  const oversized: ActivityEvent = {
    ...valid,
    id: uuidv7(),
    data: { ...valid.data, metadata: { referrer: 'search', position: 1, note: 'x'.repeat(900_000) } },
  };
  return [
    {
      kind: 'undecodable',
      message: {
        key: binary.key,
        headers: binary.headers,
        value: Buffer.from('{"specversion": "1.0", "truncat'),
      },
      expectedReason: 'undecodable',
    },
    { kind: 'invalid', message: encodeBinary(invalid), expectedReason: 'invalid' },
    { kind: 'oversized', message: encodeStructured(oversized), expectedReason: 'invalid' },
  ];
}

export function erasureRequestMessage(userId: string): {
  request: ErasureRequest;
  key: string;
  value: Buffer;
} {
  const request: ErasureRequest = { requestId: uuidv7(), userId, requestedAt: new Date().toISOString() };
  return { request, key: userId, value: encodeErasureRequest(request) };
}
