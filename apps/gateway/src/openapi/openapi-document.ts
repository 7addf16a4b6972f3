import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document of the application's REST routes, from the controllers' decorators. The same
 * function serves /api/docs/openapi.json at start and writes docs/openapi.json (`npm run docs:openapi`).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Chronicle gateway')
    .setVersion('1.0.0')
    .setDescription(
      'User activity: timelines, admin search and export, live feed, analytics, erasure, and an HTTP collector. ' +
        'Bearer JWT: `sub` is the user, the `admin` role opens the admin routes. GraphQL is at /graphql. ' +
        'Every error is a `Problem`.',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  return SwaggerModule.createDocument(app, config);
}
