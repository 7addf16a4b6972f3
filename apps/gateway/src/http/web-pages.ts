import type { Logger } from '@chronicle/observability';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Paths that are never pages: the API and the operations routes keep their own answers (404 JSON included). */
const NOT_PAGES = /^\/(?:api|v1|graphql|health|metrics)(?:\/|$)/;

/**
 * Serves the built web pages (apps/web): the hashed assets, cached for good, and index.html for `/`
 * and every client route (`/activity`, `/me`, …), never cached, so a new build shows at once.
 */
export function serveWebPages(app: NestExpressApplication, webDir: string, logger: Logger): void {
  const index = path.join(webDir, 'index.html');
  if (!existsSync(index)) {
    logger.warn('the web pages are not built (npm run build:web); / is not served', { webDir });
    return;
  }
  app.use(
    '/assets',
    express.static(path.join(webDir, 'assets'), { index: false, immutable: true, maxAge: '365d' }),
  );
  const files = express.static(webDir, { index: false, maxAge: 0 });
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || NOT_PAGES.test(request.path))
      return next();
    files(request, response, () => {
      // A client route has no file extension; anything else missing is a plain 404.
      if (path.extname(request.path) !== '') return next();
      response.setHeader('Cache-Control', 'no-cache');
      // Relative to its root: `send` refuses a path through a dot-directory (a checkout's .local/…)
      // only within the part it is given, not in the root the operator chose.
      response.sendFile('index.html', { root: webDir });
    });
  });
}
