import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createActivityCatalog, getDefaultActivityCatalog } from '../catalog/activity-catalog';
import type { ActivityTypeDefinition } from '../catalog/activity-type-definition.types';
import { EVENT_TYPES_DOC_PATH, jsLiteral, renderEventTypesDoc, writeEventTypesDoc } from './event-types-doc';

const repoRoot = resolve(__dirname, '../../../..');
const catalog = getDefaultActivityCatalog();

describe('docs/event-types.md', () => {
  it('is up to date with the catalog', () => {
    const path = join(repoRoot, EVENT_TYPES_DOC_PATH);
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (committed !== renderEventTypesDoc()) {
      throw new Error(
        `${EVENT_TYPES_DOC_PATH} is out of date with the activity type catalog: run \`npm run docs:event-types\` and commit it.`,
      );
    }
  });
});

describe('renderEventTypesDoc', () => {
  const doc = renderEventTypesDoc();

  it('says it is generated and how to regenerate it', () => {
    expect(doc.split('\n')[0]).toContain('Do not edit');
    expect(doc).toContain('`npm run docs:event-types`');
  });

  it('lists every type in the contents and gives each a section', () => {
    for (const type of catalog.types) {
      expect(doc).toContain(`- [\`${type}\`](#${type.replace(/\./g, '')}): ${catalog.get(type)?.meaning}`);
      expect(doc).toContain(`\n### \`${type}\`\n`);
    }
  });

  it('documents each metadata field with its type, constraints, and whether it is required and kept for analytics', () => {
    expect(doc).toContain('| `rating` | `integer` | ≥ 1, ≤ 5 | yes | yes | Stars given. |');
    expect(doc).toContain('| `query` | `string` | not empty, at most 200 characters | yes | no |');
    expect(doc).toContain(
      '| `changedFields` | `string[]` | 1–6 items, no duplicates, each one of `displayName`, `avatar`',
    );
  });

  it('shows the example event as JSON and the SDK call that logs it', () => {
    expect(doc).toContain(JSON.stringify(catalog.get('review.submitted')?.example, null, 2));
    expect(doc).toContain(
      "activity.log({ type: 'favorite.added', actor: { type: 'user', id: 'u_123' }, entity: { type: 'app', id: 'app_42' }, metadata: { surface: 'app_page' } });",
    );
  });

  it("gives each type's timeline sentence, and how its example reads", () => {
    expect(doc).toContain(
      '- Timeline sentence: `Started downloading {entity.id} ({metadata.version})`; the example reads “Started downloading app_42 (3.4.1)”',
    );
    for (const type of catalog.types)
      expect(doc).toContain(`- Timeline sentence: \`${catalog.get(type)?.sentence}\``);
  });

  it('gives actor types, entity and retention of each type', () => {
    const section = doc.slice(doc.indexOf('### `health_check.failed`'), doc.indexOf('### `user.logged_in`'));
    expect(section).toContain('- Actor types: `system`, `service`');
    expect(section).toContain('- Entity: `component` (required)');
    expect(section).toContain('- Retention: 30 days');
    expect(doc.slice(doc.indexOf('### `search.performed`'))).toContain('- Entity: none');
  });

  it('renders a configured catalog too, escaping what Markdown tables cannot hold', () => {
    const base = catalog.get('search.performed') as ActivityTypeDefinition;
    const custom: ActivityTypeDefinition = {
      ...base,
      type: 'search.refined',
      sentence: 'Refined a search ({metadata.mode})',
      category: 'user-activity',
      metadataSchema: {
        type: 'object',
        properties: {
          mode: { type: 'string', description: 'Either | or', pattern: '^(a|b)$', maxLength: 1 },
        },
        additionalProperties: false,
      },
      analyticsKeys: [],
      example: {
        ...base.example,
        type: 'search.refined',
        data: { ...base.example.data, metadata: { mode: 'a' } },
      },
    };
    const rendered = renderEventTypesDoc(createActivityCatalog([custom]));
    expect(rendered).toContain(
      '| `mode` | `string` | at most 1 character, matches `^(a\\|b)$` | no | no | Either \\| or |',
    );
  });
});

describe('jsLiteral', () => {
  it('writes values the way the project writes TypeScript', () => {
    expect(jsLiteral({ a: 1, 'b-c': ["it's", true, null], d: {} })).toBe(
      "{ a: 1, 'b-c': ['it\\'s', true, null], d: {} }",
    );
    expect(jsLiteral('back\\slash\nline')).toBe("'back\\\\slash\\nline'");
  });
});

describe('writeEventTypesDoc', () => {
  it('writes the rendered page under the given root', () => {
    const root = mkdtempSync(join(tmpdir(), 'chronicle-docs-'));
    try {
      mkdirSync(join(root, 'docs'));
      const path = writeEventTypesDoc(root);
      expect(path).toBe(join(root, 'docs', 'event-types.md'));
      expect(readFileSync(path, 'utf8')).toBe(renderEventTypesDoc());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
