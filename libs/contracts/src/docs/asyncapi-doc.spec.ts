import { Parser, type Diagnostic } from '@asyncapi/parser';
import Ajv, { type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EVENT_ATTRIBUTES, type ActivityEvent } from '../activity-event.types';
import { createActivityCatalog, getDefaultActivityCatalog } from '../catalog/activity-catalog';
import type { ActivityTypeDefinition } from '../catalog/activity-type-definition.types';
import { encodeBinary, encodeStructured } from '../kafka/kafka-binding.codec';
import { validEventArbitrary } from '../testing/activity-event.arbitrary';
import { TOPICS } from '../topics.constants';
import {
  ASYNCAPI_DOC_PATH,
  ASYNCAPI_VERSION,
  buildAsyncApiDocument,
  renderAsyncApiDoc,
  writeAsyncApiDoc,
} from './asyncapi-doc';

const repoRoot = resolve(__dirname, '../../../..');
const catalog = getDefaultActivityCatalog();
const committedPath = join(repoRoot, ASYNCAPI_DOC_PATH);

/** Diagnostic severities of @asyncapi/parser (Spectral's): 0 error, 1 warning, 2 information, 3 hint. */
const ERROR = 0;
const WARNING = 1;

const describeDiagnostics = (diagnostics: Diagnostic[]) =>
  diagnostics.map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);

describe('docs/asyncapi.yaml', () => {
  it('is up to date with the catalog', () => {
    const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : '';
    if (committed !== renderAsyncApiDoc()) {
      throw new Error(
        `${ASYNCAPI_DOC_PATH} is out of date with the activity type catalog: run \`npm run docs:asyncapi\` and commit it.`,
      );
    }
  });

  it('reads back as the document it was rendered from', () => {
    expect(parseYaml(readFileSync(committedPath, 'utf8'))).toEqual(buildAsyncApiDocument());
  });
});

describe('docs/asyncapi.yaml read by the AsyncAPI parser', () => {
  const parser = new Parser();
  let parsed: Awaited<ReturnType<Parser['parse']>>;
  beforeAll(async () => {
    parsed = await parser.parse(readFileSync(committedPath, 'utf8'));
  });

  it('is a valid AsyncAPI 3.0.0 document, without errors or warnings', () => {
    expect(describeDiagnostics(parsed.diagnostics.filter((d) => d.severity <= WARNING))).toEqual([]);
    expect(parsed.document?.version()).toBe(ASYNCAPI_VERSION);
  });

  it('has the four topics as channels, and a message for every catalog type', () => {
    const channels = parsed.document?.channels().all() ?? [];
    expect(channels.map((channel) => channel.address()).sort()).toEqual(Object.values(TOPICS).sort());
    const events = channels.find((channel) => channel.address() === TOPICS.events);
    expect(
      events
        ?.messages()
        .all()
        .map((message) => message.name()),
    ).toEqual(catalog.types);
    const operations = parsed.document?.operations().all() ?? [];
    expect(operations.map((op) => [op.channels().all()[0]?.address(), op.action()]).sort()).toEqual(
      [
        [TOPICS.events, 'send'],
        [TOPICS.erasure, 'send'],
        [TOPICS.dlq, 'receive'],
        [TOPICS.erasureStatus, 'receive'],
      ].sort(),
    );
  });

  it('reports an error for a broken document, so the check above can fail', async () => {
    const broken = readFileSync(committedPath, 'utf8').replace(
      '#/components/schemas/app.viewed.data',
      '#/components/schemas/app.viewd.data',
    );
    const { document, diagnostics } = await parser.parse(broken);
    expect(document).toBeUndefined();
    expect(describeDiagnostics(diagnostics.filter((d) => d.severity === ERROR))).toContainEqual(
      expect.stringContaining("'#/components/schemas/app.viewd.data' does not exist"),
    );
  });
});

describe('the messages of the events topic', () => {
  const document = buildAsyncApiDocument();
  // The document's schemas are JSON Schema draft 07, Ajv's default; formats are annotations here.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(document, 'asyncapi');
  const validators = new Map<string, ValidateFunction>();
  const validatorOf = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `asyncapi#/components/messages/${pointer}` });
      validators.set(pointer, validate);
    }
    return validate;
  };
  const check = (pointer: string, value: unknown) => {
    const validate = validatorOf(pointer);
    return validate(value) ? 'valid' : ajv.errorsText(validate.errors);
  };

  it('accept every valid event in both bindings, with the key the codec sets', () => {
    fc.assert(
      fc.property(validEventArbitrary(catalog), (event) => {
        const binary = encodeBinary(event);
        const structured = encodeStructured(event);
        expect(check(`${event.type}/headers`, binary.headers)).toBe('valid');
        expect(check(`${event.type}/payload`, JSON.parse(binary.value.toString()))).toBe('valid');
        expect(check(`${event.type}/headers`, structured.headers)).toBe('valid');
        expect(check(`${event.type}/payload`, JSON.parse(structured.value.toString()))).toBe('valid');
        expect(check(`${event.type}/bindings/kafka/key`, binary.key)).toBe('valid');
      }),
      { numRuns: 300 },
    );
  });

  it("carry each type's examples, which their schemas accept", () => {
    for (const type of catalog.types) {
      const examples = document['components'] as {
        messages: Record<string, { examples: { name: string; headers: unknown; payload: unknown }[] }>;
      };
      const [binary, structured] = examples.messages[type]?.examples ?? [];
      expect(binary?.payload).toEqual(catalog.get(type)?.example.data);
      expect(structured?.payload).toEqual(catalog.get(type)?.example);
      for (const example of [binary, structured]) {
        expect(check(`${type}/headers`, example?.headers)).toBe('valid');
        expect(check(`${type}/payload`, example?.payload)).toBe('valid');
      }
    }
  });

  it('describe every event attribute, and require all but subject', () => {
    const schemas = document['components'] as { schemas: Record<string, Record<string, unknown>> };
    const event = schemas.schemas['download.initiated.event'] ?? {};
    expect(Object.keys(event['properties'] as object).sort()).toEqual([...EVENT_ATTRIBUTES].sort());
    expect(event['required']).toEqual(EVENT_ATTRIBUTES.filter((a) => a !== 'subject'));
  });

  const example = (type: string): ActivityEvent =>
    structuredClone(catalog.get(type)?.example as ActivityEvent);

  it.each<[string, string, (event: ActivityEvent) => object]>([
    ['another type', 'app.viewed', (e) => ({ ...e, type: 'app.shared' })],
    ['an unknown attribute', 'app.viewed', (e) => ({ ...e, traceparent: '00-abc' })],
    ['another specversion', 'app.viewed', (e) => ({ ...e, specversion: '0.3' })],
    ['another datacontenttype', 'app.viewed', (e) => ({ ...e, datacontenttype: 'text/plain' })],
    ['no time', 'app.viewed', ({ time: _time, ...e }) => e],
    ['a subject naming another entity type', 'app.viewed', (e) => ({ ...e, subject: 'user/u_1' })],
    ['a subject where the type has no entity', 'search.performed', (e) => ({ ...e, subject: 'app/a' })],
  ])('refuse an event with %s', (_what, type, change) => {
    expect(check(`${type}/payload`, change(example(type)))).not.toBe('valid');
  });

  it.each<[string, string, (data: ActivityEvent['data']) => object]>([
    ['no entity where the type needs one', 'app.viewed', ({ entity: _entity, ...data }) => data],
    [
      'an entity where the type has none',
      'search.performed',
      (d) => ({ ...d, entity: { type: 'app', id: 'a' } }),
    ],
    [
      'an actor type the type does not allow',
      'health_check.failed',
      (d) => ({ ...d, actor: { type: 'user', id: 'u' } }),
    ],
    [
      'an actor id of 129 characters',
      'app.viewed',
      (d) => ({ ...d, actor: { type: 'user', id: 'x'.repeat(129) } }),
    ],
    ['unknown metadata', 'app.viewed', (d) => ({ ...d, metadata: { ...d.metadata, extra: 1 } })],
    ['an unknown context key', 'app.viewed', (d) => ({ ...d, context: { ip: '10.0.0.1' } })],
  ])('refuse data with %s, in both bindings', (_what, type, change) => {
    const event = example(type);
    const data = change(event.data);
    expect(check(`${type}/payload`, data)).not.toBe('valid');
    expect(check(`${type}/payload`, { ...event, data })).not.toBe('valid');
  });

  it('refuse binary headers naming another type or missing an attribute, and a structured record without its content-type', () => {
    const binary = encodeBinary(example('app.viewed')).headers;
    expect(check('app.viewed/headers', { ...binary, ce_type: 'app.shared' })).not.toBe('valid');
    const { ce_id: _id, ...withoutId } = binary;
    expect(check('app.viewed/headers', withoutId)).not.toBe('valid');
    expect(check('app.viewed/headers', { ...binary, 'content-type': 'text/plain' })).not.toBe('valid');
    expect(check('app.viewed/headers', {})).not.toBe('valid');
  });
});

describe('the erasure messages', () => {
  const ajv = new Ajv({ strict: false, validateFormats: false });
  ajv.addSchema(buildAsyncApiDocument(), 'asyncapi');
  const payload = (name: string) => ajv.compile({ $ref: `asyncapi#/components/messages/${name}/payload` });

  it('describe the request and the completion the workers exchange', () => {
    const request = payload('ErasureRequest');
    expect(
      request({
        requestId: '0190a6b2-7a3e-7c4d-8e5f-123456789abc',
        userId: 'u_1',
        requestedAt: '2026-11-22T01:53:46.123Z',
      }),
    ).toBe(true);
    expect(request({ requestId: '0190a6b2-7a3e-7c4d-8e5f-123456789abc', userId: '' })).toBe(false);
    const completion = payload('ErasureCompletion');
    const done = {
      requestId: '0190a6b2-7a3e-7c4d-8e5f-123456789abc',
      store: 'clickhouse',
      status: 'completed',
      rowsDeleted: 3,
      completedAt: '2026-11-22T01:53:47.000Z',
    };
    expect(completion(done)).toBe(true);
    expect(completion({ ...done, store: 'mysql' })).toBe(false);
    expect(completion({ ...done, rowsDeleted: -1 })).toBe(false);
  });
});

describe('renderAsyncApiDoc', () => {
  it('says it is generated and how to regenerate it', () => {
    expect(renderAsyncApiDoc().split('\n')[0]).toBe(
      '# Generated from the activity type catalog in libs/contracts by `npm run docs:asyncapi`. Do not edit.',
    );
  });

  it('describes the types of a configured catalog too', async () => {
    const base = catalog.get('search.performed') as ActivityTypeDefinition;
    const custom: ActivityTypeDefinition = {
      ...base,
      type: 'report.generated',
      meaning: 'A report was generated.',
      example: { ...base.example, type: 'report.generated' },
    };
    const rendered = renderAsyncApiDoc(createActivityCatalog([custom]));
    const { document, diagnostics } = await new Parser().parse(rendered);
    expect(describeDiagnostics(diagnostics.filter((d) => d.severity <= WARNING))).toEqual([]);
    expect(
      document
        ?.messages()
        .all()
        .map((m) => m.name()),
    ).toContain('report.generated');
    expect(rendered).toContain('summary: A report was generated.');
  });

  it('writes the rendered document under the given root', () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-asyncapi-'));
    try {
      mkdirSync(join(root, 'docs'));
      const path = writeAsyncApiDoc(root);
      expect(path).toBe(join(root, ASYNCAPI_DOC_PATH));
      expect(readFileSync(path, 'utf8')).toBe(renderAsyncApiDoc());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
