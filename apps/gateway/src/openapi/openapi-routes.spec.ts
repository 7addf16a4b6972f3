import type { OpenAPIObject } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createDocumentedGateway } from './documented-gateway';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The routes Nest registers that the document leaves out on purpose, and why. GraphQL (/graphql) is no
 * route of Nest's router but @nestjs/graphql's middleware, and describes itself (introspection).
 */
const UNDOCUMENTED: Record<string, string> = {
  'GET /api/docs': 'the Swagger UI page that shows the document',
  'GET /api/docs/swagger-init.js': "the Swagger UI page's script",
  'GET /api/docs/openapi.json': 'the document itself',
  'GET /api/docs/asyncapi.yaml': "the Kafka topics' document (AsyncAPI, docs/asyncapi.yaml)",
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** `GET /api/users/me/activity/erasures/{id}` for each route of the Express router, in OpenAPI's path syntax. */
function registeredRoutes(app: NestExpressApplication): string[] {
  const router = (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router;
  return router.stack.flatMap(({ route }) =>
    route
      ? Object.keys(route.methods).map(
          (method) => `${method.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
        )
      : [],
  );
}

function documentedOperations(document: OpenAPIObject): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

const sorted = (list: string[]) => [...list].sort();

describe('the OpenAPI document and the routes the gateway registers', () => {
  // The production module (GatewayModule.forRoot) with every controller it registers, the local dev
  // sign-in included: a controller added there is in these routes without this test naming it.
  let app: NestExpressApplication;
  let document: OpenAPIObject;
  let routes: string[];

  beforeAll(async () => {
    app = await createDocumentedGateway({ devSignIn: true });
    document = buildOpenApiDocument(app);
    await app.init();
    routes = registeredRoutes(app);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('documents every registered route, and no operation that is not one', () => {
    expect(routes.length).toBeGreaterThan(Object.keys(UNDOCUMENTED).length);
    expect(sorted(documentedOperations(document))).toEqual(
      sorted(routes.filter((route) => !(route in UNDOCUMENTED))),
    );
  });

  it('leaves out only routes that exist, each for its reason', () => {
    for (const route of Object.keys(UNDOCUMENTED)) expect(routes).toContain(route);
  });

  it('gives every operation a summary, a tag, a response with a body, and the Problem shape for its errors', () => {
    for (const [path, item] of Object.entries(document.paths))
      for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) {
        const operation = item[method as 'get'];
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof operation?.summary]).toEqual([where, 'string']);
        expect([where, operation?.tags?.length]).toEqual([where, 1]);
        const responses = Object.entries(operation?.responses ?? {});
        const success = responses.filter(([status]) => status.startsWith('2'));
        expect([where, success.length]).toEqual([where, 1]);
        for (const [status, response] of responses) {
          const content = (response as { content?: Record<string, { schema?: { $ref?: string } }> }).content;
          expect([where, status, Object.keys(content ?? {}).length > 0]).toEqual([where, status, true]);
          // Readiness answers its report either way; every other error is a Problem.
          if (status >= '400' && !(path.startsWith('/health') && status === '503'))
            expect([where, status, content?.['application/json']?.schema?.$ref]).toEqual([
              where,
              status,
              '#/components/schemas/Problem',
            ]);
        }
      }
  });

  it('names how each non-public route is called: a bearer token, or the API key for the collector', () => {
    const security = Object.fromEntries(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([key]) => HTTP_METHODS.includes(key))
          .map(([method, operation]) => [
            `${method.toUpperCase()} ${path}`,
            (operation as { security?: Record<string, string[]>[] }).security ?? [],
          ]),
      ),
    );
    expect(security['POST /v1/events']).toEqual([{ apiKey: [] }]);
    expect(security['GET /api/admin/analytics/dau']).toEqual([{ bearer: [] }]);
    expect(security['DELETE /api/users/me/activity']).toEqual([{ bearer: [] }]);
    expect(security['POST /api/dev/token']).toEqual([]);
    expect(document.components?.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
  });
});

describe('a gateway without the local dev sign-in', () => {
  it('neither registers nor documents /api/dev/token', async () => {
    const app = await createDocumentedGateway({ devSignIn: false });
    try {
      const document = buildOpenApiDocument(app);
      await app.init();
      expect(registeredRoutes(app).filter((route) => route.includes('/api/dev/'))).toEqual([]);
      expect(Object.keys(document.paths)).not.toContain('/api/dev/token');
      expect(Object.keys(document.paths)).toContain('/api/admin/activities');
    } finally {
      await app.close();
    }
  }, 60_000);
});
