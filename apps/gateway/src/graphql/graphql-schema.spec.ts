import { GraphQLSchemaHost } from '@nestjs/graphql';
import { join } from 'node:path';
import { createGraphqlTestApp } from '../../test/graphql-test-app';
import {
  buildGraphqlSchema,
  GRAPHQL_SCHEMA_FILE,
  readGraphqlSchemaFile,
  schemaFileText,
} from './graphql-schema';

const REPO_ROOT = join(__dirname, '../../../..');

describe(GRAPHQL_SCHEMA_FILE, () => {
  it('is the schema the resolver classes make (run `npm run docs:graphql` when this fails)', async () => {
    expect(readGraphqlSchemaFile(REPO_ROOT)).toBe(schemaFileText(await buildGraphqlSchema()));
  });

  it('is the schema the gateway serves', async () => {
    const t = await createGraphqlTestApp();
    try {
      expect(schemaFileText(t.app.get(GraphQLSchemaHost).schema)).toBe(readGraphqlSchemaFile(REPO_ROOT));
    } finally {
      await t.close();
    }
  });
});
