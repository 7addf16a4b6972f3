import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger } from '@chronicle/observability';
import { serveWebPages } from './web-pages';

describe('serveWebPages', () => {
  // Built pages under a dot-directory, as in a checkout's .local/: the root is the operator's choice.
  const root = mkdtempSync(join(tmpdir(), 'chronicle-web-'));
  const webDir = join(root, '.local', 'web');
  mkdirSync(join(webDir, 'assets'), { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Chronicle</title>');
  writeFileSync(join(webDir, 'assets', 'app-1a2b.js'), 'console.log(1)');
  const app = express();
  serveWebPages(
    app as unknown as NestExpressApplication,
    webDir,
    createLogger('test', () => undefined),
  );
  app.use((_request: express.Request, response: express.Response) =>
    response.status(404).json({ api: true }),
  );

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each(['/', '/activity', '/me/settings'])('answers %s with index.html, never cached', async (path) => {
    const response = await request(app).get(path);
    expect(response.status).toBe(200);
    expect(response.text).toContain('<title>Chronicle</title>');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('serves the hashed assets for good, and a missing file or an API path is a plain 404', async () => {
    const asset = await request(app).get('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await request(app).get('/missing.js')).status).toBe(404);
    const api = await request(app).get('/api/anything');
    expect([api.status, api.body]).toEqual([404, { api: true }]);
  });
});
