import {
  Controller,
  Get,
  HttpCode,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import type { CanActivate, ExecutionContext, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { ActivityInput } from '@chronicle/contracts';
import request from 'supertest';
import { ActivityClient } from '../lib/activity-client';
import { ActivityModule } from './activity.module';
import { TrackActivity } from './track-activity.decorator';
import { waitFor } from '@chronicle/stack';

// The HTTP behaviour of the decorator and interceptor, with the client replaced by a recorder: what is
// logged for which request. The real client and Kafka are in track-activity.integration-spec.ts.

/** Signs in as the user named by the `x-test-user` header; no header, no user. */
@Injectable()
class TestAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    const userId = req.headers['x-test-user'];
    if (userId !== undefined) req.user = { id: userId, email: `${userId}@example.com` };
    return true;
  }
}

@Controller('apps')
class AppsController {
  @Get(':appId')
  @TrackActivity('app.viewed', {
    entity: { type: 'app', param: 'appId' },
    metadata: (_req, body: { listedIn: string }) => ({ referrer: body.listedIn }),
  })
  view(@Param('appId') appId: string) {
    if (appId === 'missing') throw new NotFoundException();
    return { id: appId, listedIn: 'search' };
  }

  @Post(':appId/share')
  @HttpCode(200)
  @TrackActivity('app.shared', {
    entity: { type: 'app', param: 'appId' },
    metadata: () => {
      throw new Error('metadata bug');
    },
  })
  share() {
    return { shared: true };
  }

  @Get(':appId/manual')
  @TrackActivity('app.viewed', {
    entity: { type: 'app', param: 'appId' },
    metadata: () => ({ referrer: 'home' }),
  })
  manual(@Param('appId') appId: string, @Res({ passthrough: true }) res: { status(code: number): unknown }) {
    if (appId === 'gone') res.status(410);
    return { id: appId };
  }

  @Get(':appId/raw')
  @TrackActivity('app.viewed', {
    entity: { type: 'app', param: 'appId' },
    metadata: () => ({ referrer: 'direct' }),
  })
  raw(@Param('appId') appId: string, @Res() res: { status(code: number): { json(body: unknown): void } }) {
    res.status(appId === 'gone' ? 410 : 200).json({ id: appId });
  }

  @Get(':appId/untracked')
  untracked(@Param('appId') appId: string) {
    return { id: appId };
  }
}

/** Nothing listens there: the tests that build a real client never publish, and fail fast if it connects. */
const UNREACHABLE = ['127.0.0.1:1'];

@Module({ controllers: [AppsController], providers: [{ provide: APP_GUARD, useClass: TestAuthGuard }] })
class AppsModule {}

describe('@TrackActivity over HTTP', () => {
  let app: INestApplication;
  const logged: ActivityInput[] = [];
  const client = {
    log: jest.fn((input: ActivityInput) => logged.push(input) > 0),
    close: jest.fn(async () => undefined),
  };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ActivityModule.forRoot({ source: '/services/app-catalog', brokers: UNREACHABLE }),
        AppsModule,
      ],
    })
      .overrideProvider(ActivityClient)
      .useValue(client)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    logged.length = 0;
    client.log.mockClear();
  });

  /** Waits for the one activity the last request logs; everything sent before it has been handled by then. */
  async function nextLogged(count: number): Promise<ActivityInput[]> {
    await waitFor(() => logged.length >= count, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: `${count} logged activities`,
    });
    return logged;
  }

  it('logs one activity for a successful request, with the user, the entity, the metadata and the request id', async () => {
    await request(app.getHttpServer())
      .get('/apps/app_42')
      .set('x-test-user', 'u_1001')
      .set('x-request-id', 'req-1')
      .set('user-agent', 'Mozilla/5.0')
      .expect(200, { id: 'app_42', listedIn: 'search' });

    expect(await nextLogged(1)).toEqual([
      {
        type: 'app.viewed',
        actor: { type: 'user', id: 'u_1001' },
        entity: { type: 'app', id: 'app_42' },
        metadata: { referrer: 'search' },
        context: { requestId: 'req-1' },
      },
    ]);
  });

  it('logs nothing for a request whose handler throws', async () => {
    await request(app.getHttpServer()).get('/apps/missing').set('x-test-user', 'u_1001').expect(404);
    await request(app.getHttpServer()).get('/apps/app_7').set('x-test-user', 'u_1001').expect(200);

    expect((await nextLogged(1)).map((input) => input.entity)).toEqual([{ type: 'app', id: 'app_7' }]);
  });

  it('logs nothing when the handler returns but sets an error status itself', async () => {
    await request(app.getHttpServer()).get('/apps/gone/manual').set('x-test-user', 'u_1001').expect(410);
    await request(app.getHttpServer()).get('/apps/app_8/manual').set('x-test-user', 'u_1001').expect(200);

    expect((await nextLogged(1)).map((input) => input.entity)).toEqual([{ type: 'app', id: 'app_8' }]);
  });

  it('tracks a handler that writes the response itself, by the status it sent', async () => {
    await request(app.getHttpServer()).get('/apps/gone/raw').set('x-test-user', 'u_1').expect(410);
    await request(app.getHttpServer())
      .get('/apps/app_11/raw')
      .set('x-test-user', 'u_1')
      .expect(200, { id: 'app_11' });

    expect(await nextLogged(1)).toEqual([
      expect.objectContaining({ entity: { type: 'app', id: 'app_11' }, metadata: { referrer: 'direct' } }),
    ]);
  });

  it('logs nothing for an anonymous request', async () => {
    await request(app.getHttpServer()).get('/apps/app_1').expect(200);
    await request(app.getHttpServer()).get('/apps/app_2').set('x-test-user', 'u_2').expect(200);

    expect((await nextLogged(1)).map((input) => input.actor)).toEqual([{ type: 'user', id: 'u_2' }]);
  });

  it('logs nothing for a handler without the decorator', async () => {
    await request(app.getHttpServer()).get('/apps/app_1/untracked').set('x-test-user', 'u_1').expect(200);
    await request(app.getHttpServer()).get('/apps/app_3').set('x-test-user', 'u_1').expect(200);

    expect((await nextLogged(1)).map((input) => input.entity)).toEqual([{ type: 'app', id: 'app_3' }]);
  });

  it('answers the request normally when a metadata callback throws, and logs nothing for it', async () => {
    await request(app.getHttpServer())
      .post('/apps/app_5/share')
      .set('x-test-user', 'u_1')
      .expect(200, { shared: true });
    await request(app.getHttpServer()).get('/apps/app_6').set('x-test-user', 'u_1').expect(200);

    expect((await nextLogged(1)).map((input) => input.type)).toEqual(['app.viewed']);
  });

  it('answers the request normally when the client throws (a strict client)', async () => {
    client.log.mockImplementationOnce(() => {
      throw new Error('invalid event');
    });
    await request(app.getHttpServer()).get('/apps/app_9').set('x-test-user', 'u_1').expect(200);
    await request(app.getHttpServer()).get('/apps/app_10').set('x-test-user', 'u_1').expect(200);

    await nextLogged(1);
    expect(client.log).toHaveBeenCalledTimes(2);
    expect(logged.map((input) => input.entity?.id)).toEqual(['app_10']);
  });
});

describe('ActivityModule', () => {
  it('builds the client with forRootAsync from options made of injected providers', async () => {
    const CONFIG = Symbol('CONFIG');
    const config = { brokers: UNREACHABLE };
    @Module({ providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] })
    class ConfigModule {}
    const useFactory = jest.fn(async (injected: typeof config) => ({
      source: '/services/app-catalog',
      brokers: injected.brokers,
    }));

    const moduleRef = await Test.createTestingModule({
      imports: [ActivityModule.forRootAsync({ imports: [ConfigModule], inject: [CONFIG], useFactory })],
    }).compile();

    expect(useFactory).toHaveBeenCalledWith(config);
    expect(moduleRef.get(ActivityClient)).toBeInstanceOf(ActivityClient);
    await moduleRef.close();
  });

  it('closes the client when the application shuts down', async () => {
    const close = jest.fn(async () => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ActivityModule.forRoot({ source: '/services/app-catalog', brokers: UNREACHABLE, isGlobal: true }),
      ],
    })
      .overrideProvider(ActivityClient)
      .useValue({ log: () => true, close })
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    expect(close).not.toHaveBeenCalled();

    await app.close();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('with isGlobal, lets every module inject the client', async () => {
    @Injectable()
    class CatalogService {
      constructor(readonly activities: ActivityClient) {}
    }
    @Module({ providers: [CatalogService], exports: [CatalogService] })
    class CatalogModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        ActivityModule.forRoot({ source: '/services/app-catalog', brokers: UNREACHABLE, isGlobal: true }),
        CatalogModule,
      ],
    }).compile();

    const client = moduleRef.get(CatalogService).activities;
    expect(client).toBeInstanceOf(ActivityClient);
    expect(client).toBe(moduleRef.get(ActivityClient));
    await moduleRef.close();
  });

  it('without isGlobal, keeps the client to the modules that import it', async () => {
    @Injectable()
    class CatalogService {
      constructor(readonly activities: ActivityClient) {}
    }
    @Module({ providers: [CatalogService] })
    class CatalogModule {}

    await expect(
      Test.createTestingModule({
        imports: [
          ActivityModule.forRoot({ source: '/services/app-catalog', brokers: UNREACHABLE }),
          CatalogModule,
        ],
      }).compile(),
    ).rejects.toThrow(/ActivityClient/);
  });
});
