import { BadRequestException, type ArgumentsHost } from '@nestjs/common';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import { HttpErrorFilter } from './http-error.filter';

/** What the filter answered: status, headers and JSON body, as a client receives them. */
function answer(exception: unknown) {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ method: 'GET' }) }),
  } as unknown as ArgumentsHost;
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  new HttpErrorFilter(logger).catch(exception, host);
  return { ...sent, logged: logger.error.mock.calls };
}

describe('HttpErrorFilter', () => {
  it("hands a resolver's error back to GraphQL, whose formatError answers it", () => {
    const error = new Error('relation "activity_events" does not exist');
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const host = { getType: () => 'graphql' } as unknown as ArgumentsHost;
    expect(() => new HttpErrorFilter(logger).catch(error, host)).toThrow(error);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('names the path when Express cannot percent-decode a path parameter', () => {
    const { status, body } = answer(new BadRequestException("Failed to decode param '%80'"));
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, field: 'path' });
  });

  it('answers a statement cancelled by its timeout with 503 and Retry-After, not a bare 500', () => {
    const { status, headers, body } = answer(
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    );
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('5');
    expect(JSON.stringify(body)).not.toContain('canceling');
  });

  it('tells a caller over a cap when to come back', () => {
    const { status, headers } = answer(new TooManyRequestsError('you have 2 exports open', 30));
    expect(status).toBe(429);
    expect(headers['retry-after']).toBe('30');
  });

  it('answers anything else with a bare 500 and logs it', () => {
    const { status, body, logged } = answer(new Error('relation "activity_events" does not exist'));
    expect(status).toBe(500);
    expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    expect(logged).toHaveLength(1);
  });
});
