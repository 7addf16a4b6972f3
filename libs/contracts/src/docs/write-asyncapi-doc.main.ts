// Regenerates docs/asyncapi.yaml from the catalog: `npm run docs:asyncapi`, or
// `npx tsx libs/contracts/src/docs/write-asyncapi-doc.main.ts` from the repository root.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeAsyncApiDoc } from './asyncapi-doc';

const USAGE = `Usage: npm run docs:asyncapi

Regenerates docs/asyncapi.yaml (AsyncAPI 3.0: Chronicle's topics and events) from the activity catalog.

  -h, --help    this text
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  process.stdout.write(USAGE);
} else {
  const repoRoot = resolve(__dirname, '../../../..');
  console.log(`wrote ${writeAsyncApiDoc(repoRoot)}`);
}
