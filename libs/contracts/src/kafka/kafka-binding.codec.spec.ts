import fc from 'fast-check';
import type { ActivityEvent } from '../activity-event.types';
import { toCanonicalEvent } from '../canonical-event';
import { getDefaultActivityCatalog } from '../catalog/activity-catalog';
import { validEventArbitrary } from '../testing/activity-event.arbitrary';
import {
  decodeActivityEvent,
  EncodedKafkaMessage,
  encodeBinary,
  encodeStructured,
  KafkaHeaders,
  KafkaMessageLike,
  MAX_MESSAGE_VALUE_BYTES,
} from './kafka-binding.codec';

const catalog = getDefaultActivityCatalog();
const appViewed = catalog.get('app.viewed')?.example as ActivityEvent;
const searchPerformed = catalog.get('search.performed')?.example as ActivityEvent;

/** What a kafkajs consumer hands over for a message a producer sent: key, value and headers as bytes. */
function asReceived(message: EncodedKafkaMessage): KafkaMessageLike {
  const headers: KafkaHeaders = {};
  for (const [name, value] of Object.entries(message.headers)) headers[name] = Buffer.from(value);
  return { key: Buffer.from(message.key), value: Buffer.from(message.value), headers };
}

function binary(
  headers: KafkaHeaders,
  value: KafkaMessageLike['value'] = Buffer.from(JSON.stringify(appViewed.data)),
): KafkaMessageLike {
  return { key: 'u_123', value, headers };
}

const binaryHeaders = (): KafkaHeaders => ({ ...encodeBinary(appViewed).headers });

const NOT_A_CLOUDEVENT =
  'not a CloudEvent: expected content-type application/cloudevents+json or, without content-type, a JSON object with specversion (structured), or ce_* headers (binary)';

/** A structured record as a producer without headers sends it: kcat, a console producer, many clients. */
function headerless(value: KafkaMessageLike['value']): KafkaMessageLike {
  return { key: Buffer.from('u_123'), value, headers: {} };
}

describe('encodeBinary', () => {
  it('puts the attributes in ce_ headers, the data in the value and the actor in the key', () => {
    const message = encodeBinary(appViewed);
    expect(message.key).toBe('u_123');
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: appViewed.id,
      ce_source: '/services/app-catalog',
      ce_type: 'app.viewed',
      ce_time: '2026-11-22T01:53:46.123Z',
      ce_subject: 'app/app_42',
      'content-type': 'application/json',
    });
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(appViewed.data);
  });

  it('leaves ce_subject out when the event has no subject', () => {
    expect(Object.keys(encodeBinary(searchPerformed).headers)).not.toContain('ce_subject');
  });
});

describe('encodeStructured', () => {
  it('puts the whole event in the value, with the CloudEvents JSON content type', () => {
    const message = encodeStructured(appViewed);
    expect(message.key).toBe('u_123');
    expect(message.headers).toEqual({ 'content-type': 'application/cloudevents+json; charset=UTF-8' });
    expect(JSON.parse(message.value.toString('utf8'))).toEqual(appViewed);
  });
});

describe('decodeActivityEvent', () => {
  it('reads the binary binding', () => {
    expect(decodeActivityEvent(asReceived(encodeBinary(appViewed)))).toEqual({
      ok: true,
      event: appViewed,
      binding: 'binary',
      bindingInferred: false,
    });
  });

  it('reads the structured binding', () => {
    expect(decodeActivityEvent(asReceived(encodeStructured(appViewed)))).toEqual({
      ok: true,
      event: appViewed,
      binding: 'structured',
      bindingInferred: false,
    });
  });

  it('reads a structured record without content-type, saying that it inferred the binding', () => {
    const value = Buffer.from(JSON.stringify(appViewed));
    for (const message of [headerless(value), { value }, { value, headers: { traceparent: '00-ab-01' } }])
      expect(decodeActivityEvent(message)).toEqual({
        ok: true,
        event: appViewed,
        binding: 'structured',
        bindingInferred: true,
      });
  });

  it('validates an inferred structured record like any other, naming what breaks the contract', () => {
    const event = { ...appViewed, specversion: '0.3', id: '00000000-0000-0000-0000-000000000000' };
    expect(decodeActivityEvent(headerless(JSON.stringify(event)))).toEqual({
      ok: false,
      stage: 'validate',
      problems: [
        { path: 'specversion', message: 'must be "1.0"' },
        { path: 'id', message: 'must be an RFC 9562 UUID (versions 1 to 8, not nil or max)' },
      ],
      binding: 'structured',
      bindingInferred: true,
    });
  });

  it('reads string headers and values, as a producer-side message has them', () => {
    expect(decodeActivityEvent(encodeBinary(searchPerformed))).toMatchObject({
      ok: true,
      event: searchPerformed,
    });
    const structured = encodeStructured(searchPerformed);
    expect(decodeActivityEvent({ ...structured, value: structured.value.toString('utf8') })).toMatchObject({
      ok: true,
      event: searchPerformed,
    });
  });

  it('takes header names and media types in any case, with parameters', () => {
    const headers: KafkaHeaders = {};
    for (const [name, value] of Object.entries(binaryHeaders())) headers[name.toUpperCase()] = value;
    headers['CONTENT-TYPE'] = 'Application/JSON; charset=utf-8';
    expect(decodeActivityEvent(binary(headers))).toMatchObject({ ok: true, event: appViewed });
    const structured = encodeStructured(appViewed);
    expect(
      decodeActivityEvent({ ...structured, headers: { 'Content-Type': 'application/cloudevents+JSON' } }),
    ).toMatchObject({ ok: true });
  });

  it('takes a header given as a one-element list, and skips undefined headers', () => {
    const headers: KafkaHeaders = {
      ...binaryHeaders(),
      ce_id: [Buffer.from(appViewed.id)],
      traceparent: undefined,
    };
    expect(decodeActivityEvent(binary(headers))).toMatchObject({ ok: true, event: appViewed });
  });

  it('assumes JSON data when a binary message has no content-type', () => {
    const headers = binaryHeaders();
    delete headers['content-type'];
    expect(decodeActivityEvent(binary(headers))).toMatchObject({ ok: true, event: appViewed });
  });

  it('ignores the key: it routes, it does not describe the event', () => {
    expect(decodeActivityEvent({ ...asReceived(encodeBinary(appViewed)), key: null })).toMatchObject({
      ok: true,
    });
  });

  it('validates against the catalog it is given', () => {
    const result = decodeActivityEvent(asReceived(encodeBinary(appViewed)), catalog);
    expect(result.ok).toBe(true);
  });

  describe('reports a record it cannot read, at stage decode', () => {
    it.each<[string, unknown, { path: string; message: string }[]]>([
      [
        'a null value (a tombstone)',
        binary(binaryHeaders(), null),
        [{ path: 'value', message: 'required (a null value is a tombstone, not an event)' }],
      ],
      [
        'a value that is not UTF-8',
        binary(binaryHeaders(), Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
        [{ path: 'value', message: 'not valid UTF-8' }],
      ],
      [
        'a value that is not JSON',
        binary(binaryHeaders(), '{"actor":'),
        [{ path: 'value', message: 'not valid JSON' }],
      ],
      [
        'a value of another type',
        binary(binaryHeaders(), 42 as unknown as string),
        [{ path: 'value', message: 'must be a string or bytes' }],
      ],
      [
        'a value over 1 MiB',
        binary(binaryHeaders(), Buffer.alloc(MAX_MESSAGE_VALUE_BYTES + 1, 0x20)),
        [{ path: 'value', message: 'larger than 1048576 bytes' }],
      ],
      [
        'no headers and a JSON value without specversion',
        { value: JSON.stringify(appViewed.data) },
        [
          {
            path: 'headers',
            message: NOT_A_CLOUDEVENT,
          },
        ],
      ],
      [
        'plain JSON with no CloudEvents headers',
        { value: '{}', headers: { 'content-type': 'application/json' } },
        [
          {
            path: 'headers',
            message: NOT_A_CLOUDEVENT,
          },
        ],
      ],
      [
        'headers that are not an object',
        { value: '{}', headers: 'ce_id' },
        [{ path: 'headers', message: 'must be an object' }, expect.objectContaining({ path: 'headers' })],
      ],
      [
        'a header that is not UTF-8',
        binary({ ...binaryHeaders(), ce_id: Buffer.from([0xc3, 0x28]) }),
        [{ path: 'headers.ce_id', message: 'not valid UTF-8' }],
      ],
      [
        'a header given twice',
        binary({ ...binaryHeaders(), ce_id: [appViewed.id, appViewed.id] }),
        [{ path: 'headers.ce_id', message: 'given more than once' }],
      ],
      [
        'a header given in two cases',
        binary({ ...binaryHeaders(), CE_ID: appViewed.id }),
        [{ path: 'headers.ce_id', message: 'given more than once' }],
      ],
      [
        'a header of another type',
        binary({ ...binaryHeaders(), ce_id: 7 as unknown as string }),
        [{ path: 'headers.ce_id', message: 'must be a string or bytes' }],
      ],
      [
        'a binary message whose data is not JSON',
        binary({ ...binaryHeaders(), 'content-type': 'text/plain' }),
        [{ path: 'headers.content-type', message: 'must be application/json in the binary binding' }],
      ],
      [
        'a ce_datacontenttype header',
        binary({ ...binaryHeaders(), ce_datacontenttype: 'application/json' }),
        [
          {
            path: 'headers.ce_datacontenttype',
            message: 'not allowed in the binary binding (the value is the data, content-type its type)',
          },
        ],
      ],
      [
        'a batch',
        { value: '[]', headers: { 'content-type': 'application/cloudevents-batch+json' } },
        [
          {
            path: 'headers.content-type',
            message: 'batches of CloudEvents are not supported; send one event per record',
          },
        ],
      ],
      [
        'no headers and a value that is not JSON',
        headerless(JSON.stringify(appViewed).slice(1)),
        [{ path: 'headers', message: NOT_A_CLOUDEVENT }],
      ],
      ['no headers and a null value', headerless(null), [{ path: 'headers', message: NOT_A_CLOUDEVENT }]],
      [
        'no content-type, a value with specversion, and a header given twice',
        { value: JSON.stringify(appViewed), headers: { traceparent: ['a', 'b'] } },
        [{ path: 'headers.traceparent', message: 'given more than once' }],
      ],
      [
        'a content-type of another kind and a value with specversion',
        { value: JSON.stringify(appViewed), headers: { 'content-type': 'text/plain' } },
        [{ path: 'headers', message: NOT_A_CLOUDEVENT }],
      ],
      ['not a message at all', 'hello', [{ path: '', message: 'must be a Kafka message' }]],
      ['null', null, [{ path: '', message: 'must be a Kafka message' }]],
    ])('%s', (_, message, problems) => {
      expect(decodeActivityEvent(message)).toEqual({ ok: false, stage: 'decode', problems });
    });
  });

  describe('reports a CloudEvent that breaks the contract, at stage validate', () => {
    it('with the problems of validation', () => {
      const headers = { ...binaryHeaders(), ce_type: 'app.deleted' };
      expect(decodeActivityEvent(binary(headers))).toEqual({
        ok: false,
        stage: 'validate',
        problems: [{ path: 'type', message: 'unknown activity type "app.deleted"' }],
        binding: 'binary',
        bindingInferred: false,
      });
    });

    it('naming a missing attribute header', () => {
      const headers = binaryHeaders();
      delete headers['ce_time'];
      expect(decodeActivityEvent(binary(headers))).toEqual({
        ok: false,
        stage: 'validate',
        problems: [{ path: 'time', message: 'required' }],
        binding: 'binary',
        bindingInferred: false,
      });
    });

    it('naming ce_ headers that are no Chronicle attribute, rather than dropping them', () => {
      const headers = { ...binaryHeaders(), ce_traceparent: '00-abc-01', ce___proto__: 'x' };
      expect(decodeActivityEvent(binary(headers))).toEqual({
        ok: false,
        stage: 'validate',
        problems: [
          { path: 'traceparent', message: 'not a Chronicle event attribute' },
          { path: '__proto__', message: 'not a Chronicle event attribute' },
        ],
        binding: 'binary',
        bindingInferred: false,
      });
    });

    it('for a structured value that is not an event', () => {
      expect(
        decodeActivityEvent({ value: 'null', headers: { 'content-type': 'application/cloudevents+json' } }),
      ).toEqual({
        ok: false,
        stage: 'validate',
        problems: [{ path: '', message: 'must be a JSON object' }],
        binding: 'structured',
        bindingInferred: false,
      });
    });
  });

  describe('properties', () => {
    const events = validEventArbitrary(catalog);

    it('decodes what encodeBinary encoded, in canonical form, for any valid event', () => {
      fc.assert(
        fc.property(events, (event) => {
          expect(decodeActivityEvent(asReceived(encodeBinary(event)))).toEqual({
            ok: true,
            event: toCanonicalEvent(event),
            binding: 'binary',
            bindingInferred: false,
          });
        }),
        { numRuns: 1_000 },
      );
    });

    it('decodes what encodeStructured encoded, in canonical form, for any valid event', () => {
      fc.assert(
        fc.property(events, (event) => {
          expect(decodeActivityEvent(asReceived(encodeStructured(event)))).toEqual({
            ok: true,
            event: toCanonicalEvent(event),
            binding: 'structured',
            bindingInferred: false,
          });
        }),
        { numRuns: 1_000 },
      );
    });

    it('decodes any valid event sent structured without content-type, as with it, and says it inferred that', () => {
      fc.assert(
        fc.property(events, fc.boolean(), (event, asText) => {
          const value = encodeStructured(event).value;
          expect(decodeActivityEvent(headerless(asText ? value.toString('utf8') : value))).toEqual({
            ok: true,
            event: toCanonicalEvent(event),
            binding: 'structured',
            bindingInferred: true,
          });
        }),
        { numRuns: 500 },
      );
    });

    it('refuses a headerless value as not a CloudEvent unless it is a JSON object with specversion', () => {
      const notACloudEvent = fc.oneof(
        fc.json().filter((text) => {
          const parsed: unknown = JSON.parse(text);
          return (
            typeof parsed !== 'object' ||
            parsed === null ||
            Array.isArray(parsed) ||
            !('specversion' in parsed)
          );
        }),
        fc.string().filter((text) => {
          try {
            JSON.parse(text);
            return false;
          } catch {
            return true;
          }
        }),
        fc
          .uint8Array({ maxLength: 64 })
          .map((bytes) => Buffer.from(bytes))
          .filter((bytes) => {
            try {
              const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
              return typeof parsed !== 'object' || parsed === null || !('specversion' in parsed);
            } catch {
              return true;
            }
          }),
        events.map((event) => {
          const { specversion: _specversion, ...rest } = event;
          return JSON.stringify(rest);
        }),
      );
      fc.assert(
        fc.property(notACloudEvent, (value) => {
          expect(decodeActivityEvent(headerless(value))).toEqual({
            ok: false,
            stage: 'decode',
            problems: [{ path: 'headers', message: NOT_A_CLOUDEVENT }],
          });
        }),
        { numRuns: 2_000 },
      );
    });

    it('infers nothing when a content-type or a ce_ header is there: those decide, as before', () => {
      fc.assert(
        fc.property(events, fc.constantFrom('application/json', 'text/plain', ''), (event, contentType) => {
          const message = {
            ...headerless(encodeStructured(event).value),
            headers: { 'content-type': contentType },
          };
          expect(decodeActivityEvent(message)).toMatchObject({ ok: false, stage: 'decode' });
        }),
        { numRuns: 200 },
      );
    });

    it('keys every record by its actor', () => {
      fc.assert(
        fc.property(
          events,
          (event) =>
            encodeBinary(event).key === event.data.actor.id &&
            encodeStructured(event).key === event.data.actor.id,
        ),
        { numRuns: 200 },
      );
    });

    const headerValue = fc.oneof(
      fc.string(),
      fc.uint8Array().map((bytes) => Buffer.from(bytes)),
      fc.array(
        fc.oneof(
          fc.string(),
          fc.uint8Array().map((b) => Buffer.from(b)),
        ),
        { maxLength: 3 },
      ),
      fc.constant(undefined),
      fc.anything(),
    );
    const headerName = fc.oneof(
      fc.constantFrom(
        'content-type',
        'Content-Type',
        'ce_id',
        'ce_type',
        'ce_time',
        'ce_source',
        'ce_specversion',
        'ce_subject',
        'ce_data',
        '__proto__',
        'constructor',
      ),
      fc.string(),
    );
    const contentType = fc.constantFrom(
      'application/cloudevents+json',
      'application/json',
      'application/cloudevents-batch+json',
      'text/plain',
      '',
    );
    const arbitraryMessage = fc.record(
      {
        key: fc.oneof(
          fc.constant(null),
          fc.string(),
          fc.uint8Array().map((b) => Buffer.from(b)),
          fc.anything(),
        ),
        value: fc.oneof(
          fc.constant(null),
          fc.string(),
          fc.json(),
          fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
          fc.anything({ withBigInt: true }).map((v) => {
            try {
              return JSON.stringify(v) ?? null;
            } catch {
              return null;
            }
          }),
        ),
        headers: fc.oneof(
          fc.dictionary(headerName, headerValue),
          fc.record({ 'content-type': contentType }),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );

    it('never throws on 10,000 arbitrary messages', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            arbitraryMessage,
            fc.anything({ withBigInt: true, withNullPrototype: true, withTypedArray: true }),
          ),
          (message) => {
            const result = decodeActivityEvent(message);
            return result.ok || (['decode', 'validate'].includes(result.stage) && result.problems.length > 0);
          },
        ),
        { numRuns: 10_000 },
      );
    });

    it('never throws on 10,000 valid records with bytes flipped, cut or headers dropped', () => {
      const damaged = fc
        .tuple(events, fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), fc.boolean())
        .map(([event, structured, at, byte, dropAt, cut]) => {
          const message = asReceived(structured ? encodeStructured(event) : encodeBinary(event));
          const value = Buffer.from(message.value as Buffer);
          if (cut) return { ...message, value: value.subarray(0, at % (value.length + 1)) };
          value[at % value.length] = byte;
          const headers = { ...message.headers };
          const names = Object.keys(headers);
          delete headers[names[dropAt % names.length] as string];
          return { ...message, value, headers };
        });
      fc.assert(
        fc.property(damaged, (message) => {
          const result = decodeActivityEvent(message);
          return result.ok || result.problems.length > 0;
        }),
        { numRuns: 10_000 },
      );
    });

    it('never throws on hostile objects', () => {
      const hostile = new Proxy(
        {},
        {
          get: () => {
            throw new Error('get');
          },
          ownKeys: () => {
            throw new Error('keys');
          },
        },
      );
      const throwingHeaders = {
        value: '{}',
        headers: Object.defineProperty({}, 'ce_id', {
          enumerable: true,
          get: () => {
            throw new Error('boom');
          },
        }),
      };
      for (const message of [
        hostile,
        throwingHeaders,
        { value: hostile, headers: hostile },
        { value: '{}', headers: { ce_id: hostile } },
      ]) {
        const result = decodeActivityEvent(message);
        expect(result).toMatchObject({ ok: false, stage: 'decode' });
      }
    });
  });
});
