import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  buildFullOpenApiDocument,
  OPENAPI_DOC_PATH,
  renderOpenApiJson,
  staleFiles,
  WEB_API_TYPES_PATH,
} from './openapi-doc-files';

const repoRoot = resolve(__dirname, '../../../..');

describe(OPENAPI_DOC_PATH, () => {
  it('is up to date with the controllers', async () => {
    const rendered = renderOpenApiJson(await buildFullOpenApiDocument());
    if (staleFiles(repoRoot, { [OPENAPI_DOC_PATH]: rendered }).length > 0)
      throw new Error(
        `${OPENAPI_DOC_PATH} is out of date with the gateway's controllers: run \`npm run docs:openapi\` and commit it.`,
      );
  }, 60_000);
});

describe(`${WEB_API_TYPES_PATH}, through \`npm run docs:openapi -- --check\``, () => {
  // openapi-typescript cannot be loaded by jest (see scripts/web-api-types.ts): the script checks it, as it writes it.
  it('is up to date with the document', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'apps/gateway/scripts/write-openapi-doc.main.ts', '--check'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 130_000);
});

describe('staleFiles', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'openapi-doc-files-'));
    mkdirSync(dirname(join(root, 'docs/a.json')), { recursive: true });
    writeFileSync(join(root, 'docs/a.json'), 'same\n');
    writeFileSync(join(root, 'docs/b.json'), 'before\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the files whose text differs and the missing ones, not the ones that match', () => {
    expect(
      staleFiles(root, { 'docs/a.json': 'same\n', 'docs/b.json': 'after\n', 'docs/c.json': 'new\n' }),
    ).toEqual(['docs/b.json', 'docs/c.json']);
  });
});
