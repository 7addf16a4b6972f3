import { Body, Controller, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AccessGuard, API_KEYS } from '../auth/access.guard';
import { mintLocalToken } from '../auth/local-token';
import { TokenVerifier } from '../auth/token-verifier';
import { loadGatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, LOGGER } from '../gateway.tokens';
import { HttpErrorFilter } from './http-error.filter';
import { JsonBodyInterceptor } from './json-body.interceptor';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';
const LIMIT = 2_048;

/** A route that needs a token and says what body it was given. */
@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown) {
    return { body };
  }
}

describe('JSON bodies, read after authentication', () => {
  let app: INestApplication;
  let token: string;
  const parsed = jest.spyOn(JSON, 'parse');

  beforeAll(async () => {
    const config = loadGatewayConfig({
      DATABASE_URL: 'postgres://chronicle@localhost:5432/chronicle',
      CLICKHOUSE_URL: 'http://localhost:8123',
      KAFKA_BROKERS: 'localhost:9092',
      JWT_HS256_SECRET: SECRET,
      GATEWAY_BODY_LIMIT_BYTES: String(LIMIT),
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [EchoController],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: LOGGER, useValue: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } },
        { provide: API_KEYS, useValue: new Map() },
        { provide: TokenVerifier, useValue: await TokenVerifier.create(config.jwt) },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    await app.init();
    token = await mintLocalToken({ secret: SECRET, userId: 'u_1' });
  });

  afterAll(async () => {
    parsed.mockRestore();
    await app?.close();
  });

  const post = (body: string, authorization?: string) => {
    const call = request(app.getHttpServer()).post('/echo').set('Content-Type', 'application/json');
    return (authorization ? call.set('Authorization', authorization) : call).send(body);
  };

  it('hands an authenticated caller its parsed body', async () => {
    const response = await post('{"a":[1,2]}', `Bearer ${token}`).expect(201);
    expect(response.body).toEqual({ body: { a: [1, 2] } });
  });

  it('answers 401 without parsing the body of a caller without a valid token', async () => {
    parsed.mockClear();
    for (const authorization of [undefined, 'Bearer not-a-token', `Basic ${token}`]) {
      const response = await post('{"never": "parsed"}', authorization).expect(401);
      expect(response.body).toMatchObject({ statusCode: 401 });
    }
    // The only JSON parsed was the tests' own reading of the three 401 replies.
    expect(parsed).toHaveBeenCalledTimes(3);
  });

  it('names the body in the 400 for malformed JSON and the 413 for one too large', async () => {
    expect((await post('{"a":', `Bearer ${token}`).expect(400)).body).toMatchObject({
      field: 'body',
      message: 'body: not valid JSON',
    });
    expect((await post(`"${'x'.repeat(LIMIT)}"`, `Bearer ${token}`).expect(413)).body).toMatchObject({
      field: 'body',
      message: `body: larger than ${LIMIT} bytes`,
    });
  });
});
