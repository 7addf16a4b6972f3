import { Parser } from '@asyncapi/parser';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { loadGatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, LOGGER } from '../gateway.tokens';
import { HttpErrorFilter } from '../http/http-error.filter';
import { AccessGuard, API_KEYS } from '../auth/access.guard';
import { TokenVerifier } from '../auth/token-verifier';
import { ApiDocsController } from './api-docs.controller';
import { buildOpenApiDocument } from './openapi-document';

const repoRoot = resolve(__dirname, '../../../..');

describe('the API docs routes over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadGatewayConfig({
      DATABASE_URL: 'postgres://chronicle@localhost:5432/chronicle',
      CLICKHOUSE_URL: 'http://localhost:8123',
      KAFKA_BROKERS: 'localhost:9092',
      JWT_HS256_SECRET: 'a-local-secret-of-at-least-32-bytes!',
    });
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const moduleRef = await Test.createTestingModule({
      controllers: [ApiDocsController],
      providers: [
        // The real access check: the docs must be readable without a token.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: LOGGER, useValue: quiet },
        { provide: API_KEYS, useValue: new Map() },
        { provide: TokenVerifier, useValue: await TokenVerifier.create(config.jwt) },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves docs/asyncapi.yaml as YAML, without a token', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/asyncapi.yaml').expect(200);
    expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8');
    expect(response.text).toBe(readFileSync(resolve(repoRoot, 'docs/asyncapi.yaml'), 'utf8'));
    const { document } = await new Parser().parse(response.text);
    expect(
      document
        ?.channels()
        .all()
        .map((channel) => channel.address()),
    ).toContain('activity.events.v1');
  });

  it('answers 503 for the OpenAPI document until it is given one', async () => {
    const response = await request(app.getHttpServer()).get('/api/docs/openapi.json').expect(503);
    expect(response.body).toMatchObject({ message: 'the OpenAPI document is not built yet' });
  });

  it('serves the OpenAPI document it is given beside it, without a token, and is not in it itself', async () => {
    const document = buildOpenApiDocument(app);
    app.get(ApiDocsController).serveOpenApi(document);
    const response = await request(app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    expect(response.body).toEqual(document);
    expect(response.body.openapi).toMatch(/^3\.0\.\d+$/);
    // The docs' routes are excluded (@ApiExcludeController): this app has no other.
    expect(response.body.paths).toEqual({});
  });
});
