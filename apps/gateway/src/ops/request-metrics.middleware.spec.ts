import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { GatewayMetrics } from '../gateway.metrics';
import { requestMetrics } from './request-metrics.middleware';

describe('requestMetrics', () => {
  it('labels a request by its route template, the GraphQL endpoint by its path, anything else unmatched', async () => {
    const registry = new Registry();
    const metrics = new GatewayMetrics(registry);
    const app = express();
    app.use(requestMetrics(metrics));
    app.get('/api/things/:id', (_req, res) => void res.send('thing'));
    // Mounted, as @nestjs/apollo mounts Apollo Server: no route template.
    app.use('/graphql', (_req, res) => void res.json({ data: {} }));
    await request(app).get('/api/things/42').expect(200);
    await request(app).post('/graphql?x=1').expect(200);
    await request(app).get('/nowhere').expect(404);
    const routes = (await registry.getMetricsAsJSON())
      .flatMap((metric) => metric.values)
      .map((value) => value.labels['route'])
      .filter((route): route is string => typeof route === 'string');
    expect(new Set(routes)).toEqual(new Set(['/api/things/:id', '/graphql', 'unmatched']));
  });
});
