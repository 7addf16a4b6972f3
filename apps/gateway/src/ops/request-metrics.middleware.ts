import type { NextFunction, Request, Response } from 'express';
import type { GatewayMetrics } from '../gateway.metrics';

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
      stop({
        method: request.method,
        route: template ? `${request.baseUrl}${template}` : 'unmatched',
        status: String(response.statusCode),
      });
    };
    response.once('finish', observe);
    response.once('close', observe);
    next();
  };
}
