// Regenerates docs/event-types.md from the catalog: `npm run docs:event-types`, or
// `npx tsx libs/contracts/src/docs/write-event-types-doc.main.ts` from the repository root.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeEventTypesDoc } from './event-types-doc';

const USAGE = `Usage: npm run docs:event-types

Regenerates docs/event-types.md from the activity catalog.

  -h, --help    this text
`;

if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
  process.stdout.write(USAGE);
} else {
  const repoRoot = resolve(__dirname, '../../../..');
  console.log(`wrote ${writeEventTypesDoc(repoRoot)}`);
}
