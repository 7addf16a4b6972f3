import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { loadGatewayConfig, type GatewayConfig } from '../gateway.config';
import { GatewayModule, type GatewayResources } from '../gateway.module';
import { GATEWAY_CONFIG, LOGGER } from '../gateway.tokens';
import { FieldError } from '../http/field-error';
import { HttpErrorFilter } from '../http/http-error.filter';
import { JsonBodyInterceptor } from '../http/json-body.interceptor';
import { thrownBy } from '../../test/thrown-by';
import { AccessGuard, API_KEYS } from './access.guard';
import { DEV_TOKEN_TTL_SECONDS, DevTokenController, parseDevTokenRequest } from './dev-token.controller';
import { TokenVerifier } from './token-verifier';

const SECRET = 'a-local-secret-of-at-least-32-bytes!';

function config(overrides: Record<string, string | undefined> = {}): GatewayConfig {
  return loadGatewayConfig({
    DATABASE_URL: 'postgres://chronicle@localhost:5432/chronicle',
    CLICKHOUSE_URL: 'http://localhost:8123',
    KAFKA_BROKERS: 'localhost:9092',
    JWT_HS256_SECRET: SECRET,
    GATEWAY_DEV_SIGN_IN: 'true',
    ...overrides,
  });
}

describe('parseDevTokenRequest', () => {
  it('takes a user id, and admin when given', () => {
    expect(parseDevTokenRequest({ userId: 'u_1' })).toEqual({ userId: 'u_1', admin: false });
    expect(parseDevTokenRequest({ userId: 'demo-admin', admin: true })).toEqual({
      userId: 'demo-admin',
      admin: true,
    });
    expect(parseDevTokenRequest({ userId: 'x'.repeat(128), admin: false }).userId).toHaveLength(128);
  });

  it.each([
    ['no user id', {}],
    ['an empty user id', { userId: '' }],
    ['a user id of 129 characters', { userId: 'x'.repeat(129) }],
    ['a user id with a space', { userId: 'demo user' }],
    ['a user id with a tab', { userId: 'demo\tuser' }],
    ['a user id with a trailing newline', { userId: 'demo\n' }],
    ['a numeric user id', { userId: 42 }],
  ])('refuses %s, naming userId', (_what, body) => {
    expect(thrownBy(FieldError, () => parseDevTokenRequest(body)).field).toBe('userId');
  });

  it.each([
    ['a string', 'true'],
    ['a number', 1],
    ['null', null],
  ])('refuses admin as %s', (_what, admin) => {
    expect(thrownBy(FieldError, () => parseDevTokenRequest({ userId: 'u', admin })).field).toBe('admin');
  });

  it.each([
    ['no body', undefined],
    ['null', null],
    ['an array', [{ userId: 'u' }]],
    ['a string', 'u'],
  ])('refuses %s as the body', (_what, body) => {
    expect(thrownBy(FieldError, () => parseDevTokenRequest(body)).field).toBe('body');
  });
});

/** A request from this machine, as the controller sees it. */
const LOCAL = { socket: { remoteAddress: '127.0.0.1' } } as Pick<Request, 'socket'>;

describe('DevTokenController', () => {
  it('mints a one-hour token the gateway verifies, with the admin role when asked', async () => {
    const gatewayConfig = config();
    const controller = new DevTokenController(gatewayConfig);
    const verifier = await TokenVerifier.create(gatewayConfig.jwt);
    const { token: adminToken } = await controller.mint({ userId: 'demo-admin', admin: true }, LOCAL);
    expect(await verifier.verify(adminToken)).toMatchObject({ id: 'demo-admin', admin: true });
    const { token: userToken } = await controller.mint({ userId: 'demo-user' }, LOCAL);
    expect(await verifier.verify(userToken)).toMatchObject({ id: 'demo-user', admin: false });
    const { iat, exp } = decodeJwt(userToken);
    expect((exp as number) - (iat as number)).toBe(DEV_TOKEN_TTL_SECONDS);
  });

  it('sets the configured issuer and audience, which the verifier then checks', async () => {
    const gatewayConfig = config({ JWT_ISSUER: 'https://chronicle.local', JWT_AUDIENCE: 'chronicle' });
    const { token } = await new DevTokenController(gatewayConfig).mint({ userId: 'u_1' }, LOCAL);
    expect(decodeJwt(token)).toMatchObject({ iss: 'https://chronicle.local', aud: 'chronicle' });
    expect(await (await TokenVerifier.create(gatewayConfig.jwt)).verify(token)).toMatchObject({
      id: 'u_1',
      admin: false,
    });
  });

  it('refuses a caller that is not on this machine', async () => {
    const controller = new DevTokenController(config());
    for (const remoteAddress of ['10.0.0.7', '::ffff:192.168.1.2', undefined])
      await expect(
        controller.mint({ userId: 'u_1', admin: true }, { socket: { remoteAddress } } as typeof LOCAL),
      ).rejects.toThrow(ForbiddenException);
  });

  it('says it is enabled', () => {
    expect(new DevTokenController(config()).status()).toEqual({ enabled: true });
  });
});

describe('the dev sign-in in the gateway module', () => {
  const controllersOf = (gatewayConfig: GatewayConfig) =>
    GatewayModule.forRoot({ config: gatewayConfig, logger: console } as unknown as GatewayResources)
      .controllers ?? [];

  it('is registered only when GATEWAY_DEV_SIGN_IN is on', () => {
    expect(controllersOf(config())).toContain(DevTokenController);
    expect(controllersOf(config({ GATEWAY_DEV_SIGN_IN: undefined }))).not.toContain(DevTokenController);
    expect(controllersOf(config({ GATEWAY_DEV_SIGN_IN: 'false' }))).not.toContain(DevTokenController);
  });
});

describe('POST /api/dev/token over HTTP', () => {
  let app: INestApplication;
  const gatewayConfig = config();
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [DevTokenController],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: GATEWAY_CONFIG, useValue: gatewayConfig },
        { provide: LOGGER, useValue: quiet },
        { provide: API_KEYS, useValue: new Map() },
        { provide: TokenVerifier, useValue: await TokenVerifier.create(gatewayConfig.jwt) },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('needs no token, answers 200 with a token, and keeps it out of caches', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/dev/token')
      .send({ userId: 'demo-admin', admin: true })
      .expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const { token } = response.body as { token: string };
    expect(await (await TokenVerifier.create(gatewayConfig.jwt)).verify(token)).toMatchObject({
      id: 'demo-admin',
      admin: true,
    });
  });

  it('answers a bad user id with a 400 naming the field', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/dev/token')
      .send({ userId: 'two words' })
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, field: 'userId' });
  });

  it('tells the sign-in page that it is on', async () => {
    const response = await request(app.getHttpServer()).get('/api/dev/token').expect(200);
    expect(response.body).toEqual({ enabled: true });
  });
});
