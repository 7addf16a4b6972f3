// Regenerates docs/openapi.json and the web pages' API types from the gateway's controllers:
// `npm run docs:openapi`. Builds the gateway's Nest application without connecting to anything.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildFullOpenApiDocument,
  OPENAPI_DOC_PATH,
  renderOpenApiJson,
  staleFiles,
  WEB_API_TYPES_PATH,
} from '../src/openapi/openapi-doc-files';
import { renderWebApiTypes } from './web-api-types';

const USAGE = `Usage: npm run docs:openapi [-- --check]

Regenerates ${OPENAPI_DOC_PATH} (OpenAPI 3.0: the gateway's REST routes, from its controllers) and
${WEB_API_TYPES_PATH} (the web pages' API types, from that document). Connects to nothing.

  --check       write nothing; exit 1, naming them, when the checked-in files are out of date
  -h, --help    this text
`;

async function main(check: boolean): Promise<void> {
  const repoRoot = resolve(__dirname, '../../..');
  const document = await buildFullOpenApiDocument();
  const files = {
    [OPENAPI_DOC_PATH]: renderOpenApiJson(document),
    [WEB_API_TYPES_PATH]: await renderWebApiTypes(document, repoRoot),
  };
  if (check) {
    const stale = staleFiles(repoRoot, files);
    if (stale.length > 0) {
      console.error(`out of date: ${stale.join(', ')}; run \`npm run docs:openapi\` and commit them`);
      process.exitCode = 1;
    }
    return;
  }
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repoRoot, path), text);
  console.log(`wrote ${Object.keys(files).join(' and ')}`);
}

const { values } = parseArgs({
  options: { help: { type: 'boolean', short: 'h' }, check: { type: 'boolean' } },
});
if (values.help) process.stdout.write(USAGE);
else
  main(values.check === true).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
