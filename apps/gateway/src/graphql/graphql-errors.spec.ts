import { AnalyticsQueryError } from '@chronicle/analytics';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { FieldError } from '../http/field-error';
import { TooManyRequestsError } from '../limits/concurrency-limit';
import { formatGraphqlError } from './graphql-errors';

describe('formatGraphqlError', () => {
  const fromResolver = (original: Error) =>
    new GraphQLError(original.message, { path: ['activities'], originalError: original });

  it('keeps an error GraphQL itself reports', () => {
    const error = new GraphQLError('Variable "$first" got invalid value "ten"; Int cannot represent it');
    expect(formatGraphqlError(error)).toBe(error);
  });

  it('keeps a GraphQLError a resolver throws, with its code', () => {
    const forbidden = new GraphQLError('this field needs the admin role', {
      extensions: { code: 'FORBIDDEN' },
    });
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(fromResolver(forbidden), onInternal);
    expect(formatted.message).toBe('this field needs the admin role');
    expect(onInternal).not.toHaveBeenCalled();
  });

  it("maps the gateway's own input errors (a cursor, a range) to BAD_USER_INPUT naming the argument", () => {
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(
      fromResolver(new FieldError('after', 'is not a cursor')),
      onInternal,
    );
    expect(formatted.message).toBe('after: is not a cursor');
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('maps an analytics input error to BAD_USER_INPUT naming the field', () => {
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(
      fromResolver(new AnalyticsQueryError('from', 'must be a date (YYYY-MM-DD)')),
      onInternal,
    );
    expect(formatted.message).toBe('from must be a date (YYYY-MM-DD)');
    expect(formatted.path).toEqual(['activities']);
    expect(formatted.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'from' });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('maps a full live-stream cap to TOO_MANY_REQUESTS with the time to wait', () => {
    const formatted = formatGraphqlError(
      fromResolver(new TooManyRequestsError('you have 10 live streams open', 60)),
    );
    expect(formatted.message).toBe('you have 10 live streams open');
    expect(formatted.extensions).toEqual({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 60 });
  });

  it.each([
    [new ForbiddenException('this field needs the admin role'), 'FORBIDDEN'],
    [new UnauthorizedException('the token has expired'), 'UNAUTHENTICATED'],
  ])("gives the AccessGuard's refusal %s its code", (refusal, code) => {
    const onInternal = jest.fn();
    const formatted = formatGraphqlError(fromResolver(refusal), onInternal);
    expect(formatted.message).toBe(refusal.message);
    expect(formatted.extensions).toEqual({ code });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('says a query that outran its statement timeout is unavailable, not internal', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const formatted = formatGraphqlError(fromResolver(cancelled));
    expect(formatted.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE' });
    expect(formatted.message).not.toContain('canceling');
  });

  it('hides anything else behind "internal error", handing the original to onInternal', () => {
    const onInternal = jest.fn();
    const cause = new Error('relation "activity_events" does not exist at character 15');
    const formatted = formatGraphqlError(fromResolver(cause), onInternal);
    expect(formatted.message).toBe('internal error');
    expect(formatted.extensions).toEqual({ code: 'INTERNAL' });
    expect(formatted.path).toEqual(['activities']);
    expect(JSON.stringify(formatted.toJSON())).not.toContain('activity_events');
    expect(onInternal).toHaveBeenCalledWith(cause);
  });

  it('hides an internal error without an onInternal too', () => {
    expect(formatGraphqlError(fromResolver(new Error('ECONNREFUSED 10.0.0.5:5432'))).message).toBe(
      'internal error',
    );
  });
});
