import type { OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocumentedGateway } from './documented-gateway';
import { buildOpenApiDocument } from './openapi-document';

/** The checked-in copy of the document, for readers and clients outside the repository. */
export const OPENAPI_DOC_PATH = 'docs/openapi.json';
/** The web pages' API types, generated from the document rather than copied by hand (scripts/web-api-types.ts). */
export const WEB_API_TYPES_PATH = 'apps/web/src/api-types.generated.ts';

/** The document of every route the gateway can register (the local dev sign-in included). */
export async function buildFullOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await createDocumentedGateway({ devSignIn: true });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

export function renderOpenApiJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The paths (relative to `repoRoot`) whose checked-in text is not `files`' text. */
export function staleFiles(repoRoot: string, files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([path, text]) => {
      const absolute = join(repoRoot, path);
      return !existsSync(absolute) || readFileSync(absolute, 'utf8') !== text;
    })
    .map(([path]) => path);
}
