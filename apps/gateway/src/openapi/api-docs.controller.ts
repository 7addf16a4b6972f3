import { renderAsyncApiDoc } from '@chronicle/contracts';
import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/access.decorators';

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

/** The documents themselves are not operations of the API they describe. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('api/docs')
export class ApiDocsController {
  private openApi: OpenAPIObject | undefined;

  /** Given once at start (gateway.ts): the document is built from the application's own controllers. */
  serveOpenApi(document: OpenAPIObject): void {
    this.openApi = document;
  }

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
  document(): OpenAPIObject {
    // Only an app wired without gateway.ts's start could answer before it is given.
    if (!this.openApi) throw new ServiceUnavailableException('the OpenAPI document is not built yet');
    return this.openApi;
  }

  @Get('asyncapi.yaml')
  @Header('Content-Type', 'application/yaml; charset=utf-8')
  asyncApi(): string {
    return ASYNCAPI_DOCUMENT;
  }
}
