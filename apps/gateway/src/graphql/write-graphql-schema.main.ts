// Regenerates docs/schema.graphql from the gateway's resolver classes: `npm run docs:graphql`, or
// `npx tsx apps/gateway/src/graphql/write-graphql-schema.main.ts` from the repository root.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeGraphqlSchemaFile } from './graphql-schema';

const USAGE = `Usage: npm run docs:graphql

Regenerates docs/schema.graphql (the gateway's GraphQL schema, SDL) from its resolver classes, starting
and connecting nothing.

  -h, --help    this text
`;

async function main(): Promise<void> {
  if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
    process.stdout.write(USAGE);
    return;
  }
  console.log(`wrote ${await writeGraphqlSchemaFile(resolve(__dirname, '../../../..'))}`);
}

void main();
