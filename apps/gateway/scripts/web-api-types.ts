import type { OpenAPIObject } from '@nestjs/swagger';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { OPENAPI_DOC_PATH, WEB_API_TYPES_PATH } from '../src/openapi/openapi-doc-files';

/*
 * Outside src/, so that the build does not ship it (openapi-typescript and prettier are development
 * packages); and apart from openapi-doc-files.ts because openapi-typescript loads an ES module that
 * jest (CommonJS, Node 20) cannot require: the tests check its output through the script (`--check`).
 */

const HEADER = `// Generated from ${OPENAPI_DOC_PATH} by \`npm run docs:openapi\`: do not edit.\n`;

/** `paths` and `components` as TypeScript (openapi-typescript), formatted as the repository formats. */
export async function renderWebApiTypes(document: OpenAPIObject, repoRoot: string): Promise<string> {
  // openapi-typescript is typed for OpenAPI 3.1; the 3.0 document @nestjs/swagger writes reads the same.
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  const path = join(repoRoot, WEB_API_TYPES_PATH);
  return format(HEADER + astToString(ast), { ...(await resolveConfig(path)), filepath: path });
}
