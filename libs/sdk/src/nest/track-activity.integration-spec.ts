import { randomUUID } from 'node:crypto';
import { Controller, Get, Injectable, Module, NotFoundException, Param } from '@nestjs/common';
import type { CanActivate, ExecutionContext, INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { decodeActivityEvent } from '@chronicle/contracts';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { ActivityClient } from '../lib/activity-client';
import type { ActivityClientOptions } from '../lib/activity-client.options';
import { ActivityModule } from './activity.module';
import { TrackActivity } from './track-activity.decorator';
import { createTestTopic, stackEnvironmentFromEnv, waitFor, type TestTopic } from '@chronicle/stack';

// A Nest application with ActivityModule and the real client, against the local stack's Kafka: what a
// request of a decorated handler puts on the topic.

jest.setTimeout(60_000);

const brokers = stackEnvironmentFromEnv().kafkaBrokers;
const runId = randomUUID();
let topic: string;

/** Stands for the application's authentication: every request is signed in as `userId`. */
let userId = '';

@Injectable()
class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    // The e-mail is there to show that nothing but the id leaves the request.
    context.switchToHttp().getRequest<{ user?: unknown }>().user = {
      id: userId,
      email: 'someone@example.com',
    };
    return true;
  }
}

@Controller('apps')
class AppsController {
  @Get(':appId')
  @TrackActivity('app.viewed', {
    entity: { type: 'app', param: 'appId' },
    metadata: () => ({ referrer: 'search' }),
  })
  view(@Param('appId') appId: string) {
    if (appId.startsWith('missing')) throw new NotFoundException(`no app ${appId}`);
    return { id: appId, name: 'Chess' };
  }
}

@Module({ controllers: [AppsController], providers: [{ provide: APP_GUARD, useClass: SignedInGuard }] })
class AppsModule {}

describe('@TrackActivity with the real client and Kafka', () => {
  const kafka = new Kafka({ clientId: 'sdk-nest-spec', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const groupId = `sdk-nest-spec-${runId}`;
  const consumer = kafka.consumer({ groupId });
  const received: KafkaMessage[] = [];
  /** What reached the topic for the current test's user (the Kafka key is the actor id). */
  const receivedFor = (actorId: string) => received.filter((message) => message.key?.toString() === actorId);

  let testTopic: TestTopic;

  beforeAll(async () => {
    await admin.connect();
    testTopic = await createTestTopic(brokers, { prefix: 'sdk-nest-spec', partitions: 3 });
    topic = testTopic.name;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
  });
  afterAll(async () => {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await testTopic.delete();
    await admin.disconnect();
  });

  async function startApp(options: Partial<ActivityClientOptions> = {}): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ActivityModule.forRoot({ source: '/services/app-catalog', brokers, topic, ...options }),
        AppsModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  it('puts exactly one valid app.viewed event on the topic for a successful request, and none for a failed one', async () => {
    userId = `u_${randomUUID()}`;
    const app = await startApp();
    try {
      // The failed request goes first: its event, had it been logged, would precede the good one in
      // the partition (same actor, same key), so the good one's arrival is enough to wait for.
      await request(app.getHttpServer())
        .get('/apps/missing_1')
        .set('x-request-id', 'req-missing')
        .expect(404);
      await request(app.getHttpServer())
        .get('/apps/app_42')
        .set('x-request-id', 'req-42')
        .set('user-agent', 'Mozilla/5.0')
        .set('x-forwarded-for', '203.0.113.7')
        .expect(200, { id: 'app_42', name: 'Chess' });

      await waitFor(() => receivedFor(userId).length >= 1, {
        timeoutMs: 30_000,
        intervalMs: 20,
        what: 'the app.viewed event on the topic',
      });
    } finally {
      await app.close();
    }

    const messages = receivedFor(userId);
    expect(messages).toHaveLength(1);
    const decoded = decodeActivityEvent(messages[0]);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.event).toMatchObject({
      type: 'app.viewed',
      source: '/services/app-catalog',
      subject: 'app/app_42',
    });
    // Exactly these: no e-mail, IP or user agent from the request.
    expect(decoded.event.data).toEqual({
      actor: { type: 'user', id: userId },
      entity: { type: 'app', id: 'app_42' },
      metadata: { referrer: 'search' },
      context: { requestId: 'req-42' },
    });
  });

  it('publishes what is still queued when the application closes', async () => {
    userId = `u_${randomUUID()}`;
    // The batch would wait ten minutes: only the shutdown's flush can publish it within the test.
    const app = await startApp({ batch: { lingerMs: 600_000 } });
    const client = app.get(ActivityClient);
    await request(app.getHttpServer()).get('/apps/app_7').expect(200);
    await waitFor(() => client.stats().enqueued === 1, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the activity to be queued',
    });
    expect(client.stats().published).toBe(0);

    await app.close();

    expect(client.stats()).toMatchObject({ enqueued: 1, published: 1, queueDepth: 0 });
    await waitFor(() => receivedFor(userId).length >= 1, {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: 'the queued event on the topic',
    });
    const [message] = receivedFor(userId);
    const decoded = decodeActivityEvent(message);
    expect(decoded.ok && decoded.event.data.entity).toEqual({ type: 'app', id: 'app_7' });
    // Closed with the application: a later activity is refused, not queued for nobody.
    const later = {
      type: 'app.viewed',
      actor: { type: 'user' as const, id: userId },
      entity: { type: 'app', id: 'app_8' },
      metadata: { referrer: 'home' },
    };
    expect(client.log(later)).toBe(false);
    expect(client.stats().dropped).toMatchObject({ closed: 1 });
  });
});
