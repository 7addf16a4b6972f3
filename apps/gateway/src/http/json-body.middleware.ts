import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * JSON bodies up to `limit` bytes. Parse errors are answered here as JSON (413 too large, 400
 * malformed): they happen before Nest's routing, where Express's default handler would answer HTML.
 */
export function jsonBody(limit: number) {
  const parse = express.json({ limit });
  return (request: Request, response: Response, next: NextFunction) => {
    parse(request, response, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      response.status(status).json({
        statusCode: status,
        error: status === 413 ? 'Payload Too Large' : 'Bad Request',
        field: 'body',
        message: status === 413 ? `body: larger than ${limit} bytes` : 'body: not valid JSON',
      });
    });
  };
}
