// Regenerates docs/event-types.md from the catalog: `npm run docs:event-types`, or
// `npx tsx libs/contracts/src/docs/write-event-types-doc.main.ts` from the repository root.
import { resolve } from 'node:path';
import { writeEventTypesDoc } from './event-types-doc';

const repoRoot = resolve(__dirname, '../../../..');
console.log(`wrote ${writeEventTypesDoc(repoRoot)}`);
