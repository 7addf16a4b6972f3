import { renderAsyncApiDoc } from '@chronicle/contracts';
import { Controller, Get, Header } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/access.decorators';
import { OPENAPI_DOCUMENT } from './openapi.document';

/** Swagger UI's assets are served from swagger-ui-dist under /api/docs/assets (see gateway.ts). */
const SWAGGER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chronicle API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/swagger-init.js"></script></body></html>`;

/**
 * The AsyncAPI description of the Kafka topics, rendered once at start from the contract this build
 * holds: the same document as docs/asyncapi.yaml, without reading docs/ at run time.
 */
const ASYNCAPI_DOCUMENT = renderAsyncApiDoc();

@Public()
@SkipThrottle()
@Controller('api/docs')
export class ApiDocsController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return SWAGGER_PAGE;
  }

  /** Kept out of the page itself so that the Content-Security-Policy can forbid inline scripts. */
  @Get('swagger-init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init(): string {
    return `window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#swagger-ui' });`;
  }

  @Get('openapi.json')
  document() {
    return OPENAPI_DOCUMENT;
  }

  @Get('asyncapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  asyncApi(): string {
    return ASYNCAPI_DOCUMENT;
  }
}
