import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAPHQL_RESOLVERS } from './graphql-api.module';

/** The checked-in copy of the schema, in the repository. */
export const GRAPHQL_SCHEMA_FILE = 'docs/schema.graphql';

const HEADER = `# The gateway's GraphQL schema, generated from its resolver classes: \`npm run docs:graphql\`.
# Do not edit; a unit test fails when this copy is stale.
`;

/**
 * The schema the gateway serves, built from the resolver classes alone, as the GraphQL module builds
 * it (sorted): no store, no server, nothing connected.
 */
export async function buildGraphqlSchema(): Promise<GraphQLSchema> {
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return lexicographicSortSchema(await context.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS));
  } finally {
    await context.close();
  }
}

/** The schema file's text for `schema`. */
export const schemaFileText = (schema: GraphQLSchema): string => `${HEADER}\n${printSchema(schema)}\n`;

export function readGraphqlSchemaFile(repoRoot: string): string {
  return readFileSync(join(repoRoot, GRAPHQL_SCHEMA_FILE), 'utf8');
}

/** Writes docs/schema.graphql; returns its path. */
export async function writeGraphqlSchemaFile(repoRoot: string): Promise<string> {
  const path = join(repoRoot, GRAPHQL_SCHEMA_FILE);
  writeFileSync(path, schemaFileText(await buildGraphqlSchema()));
  return path;
}
