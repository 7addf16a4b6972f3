import type { NextFunction, Request, Response } from 'express';
import type { GatewayMetrics } from '../gateway.metrics';

/** Paths served by a mounted middleware rather than a route (Apollo Server's), labelled by their path. */
const MOUNTED_PATHS = new Set(['/graphql']);

/**
 * Times every request until its response is finished or abandoned, labelled by the route template
 * (`/api/users/me/activity/erasures/:id`, never the concrete URL: ids would explode the label space).
 */
export function requestMetrics(metrics: GatewayMetrics) {
  return (request: Request, response: Response, next: NextFunction) => {
    const stop = metrics.requestDuration.startTimer();
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      const template = request.route?.path as string | undefined;
      const path = request.originalUrl.split('?')[0] ?? '';
      stop({
        method: request.method,
        route: template ? `${request.baseUrl}${template}` : MOUNTED_PATHS.has(path) ? path : 'unmatched',
        status: String(response.statusCode),
      });
    };
    response.once('finish', observe);
    response.once('close', observe);
    next();
  };
}
