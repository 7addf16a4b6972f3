import { validateActivityEvent, toActivityEvent } from '@chronicle/contracts';
import type { ActivityInput } from '@chronicle/contracts';
import {
  activityFromRequest,
  actorFromRequestUser,
  contextFromRequest,
  entityFromRequest,
} from './activity-from-request.util';
import type { TrackActivitySpec } from './track-activity.options';

describe('actorFromRequestUser', () => {
  it.each([
    ['an id', { id: 'u_1' }, { type: 'user', id: 'u_1' }],
    ['a JWT subject', { sub: 'auth0|abc' }, { type: 'user', id: 'auth0|abc' }],
    ['id before sub', { id: 'u_1', sub: 'other' }, { type: 'user', id: 'u_1' }],
    ['a numeric id, as text', { id: 42 }, { type: 'user', id: '42' }],
    ['sub when id is empty', { id: '', sub: 's_2' }, { type: 'user', id: 's_2' }],
  ])('takes %s', (_what, user, actor) => {
    expect(actorFromRequestUser({ user })).toEqual(actor);
  });

  it.each([
    ['no request', undefined],
    ['no user', {}],
    ['a null user', { user: null }],
    ['a user given as a string', { user: 'u_1' }],
    ['a user without id or sub', { user: { email: 'someone@example.com', name: 'Someone' } }],
    ['an empty id', { user: { id: '' } }],
    ['a fractional id', { user: { id: 1.5 } }],
    ['an object id', { user: { id: { value: 'u_1' } } }],
  ])('finds no actor with %s', (_what, request) => {
    expect(actorFromRequestUser(request)).toBeUndefined();
  });
});

describe('entityFromRequest', () => {
  it('reads the named route param', () => {
    expect(
      entityFromRequest({ type: 'app', param: 'appId' }, { params: { appId: 'app_42', other: 'x' } }),
    ).toEqual({
      type: 'app',
      id: 'app_42',
    });
  });

  it.each([
    ['the param is absent', { params: { id: 'app_42' } }],
    ['the param is empty', { params: { appId: '' } }],
    ['the request has no params', {}],
  ])('gives no entity when %s', (_what, request) => {
    expect(entityFromRequest({ type: 'app', param: 'appId' }, request)).toBeUndefined();
  });

  it('calls a function with the request', () => {
    const request = { params: { slug: 'chess' } };
    const source = jest.fn((req: unknown) => ({
      type: 'app',
      id: `app_${(req as typeof request).params.slug}`,
    }));
    expect(entityFromRequest(source, request)).toEqual({ type: 'app', id: 'app_chess' });
    expect(source).toHaveBeenCalledWith(request);
  });
});

describe('contextFromRequest', () => {
  it('carries the x-request-id header as requestId', () => {
    expect(
      contextFromRequest({ headers: { 'x-request-id': '0b7c9a1e-5f3d-4e2a-9c1b-7d8e6f5a4b3c' } }),
    ).toEqual({
      requestId: '0b7c9a1e-5f3d-4e2a-9c1b-7d8e6f5a4b3c',
    });
  });

  it('reads nothing else from the request, IP and user agent included', () => {
    const request = {
      headers: { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '203.0.113.7', cookie: 'sid=1' },
      ip: '203.0.113.7',
    };
    expect(contextFromRequest(request)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['longer than the contract allows', 'r'.repeat(129)],
    ['an e-mail address', 'someone@example.com'],
    ['an IP address', '203.0.113.7'],
    ['ill-formed text', 'req\u0000id'],
    ['given twice', ['a', 'b']],
  ])('leaves out a request id that is %s', (_what, value) => {
    expect(contextFromRequest({ headers: { 'x-request-id': value } })).toBeUndefined();
  });
});

describe('activityFromRequest', () => {
  const viewed: TrackActivitySpec = {
    type: 'app.viewed',
    entity: { type: 'app', param: 'appId' },
    metadata: () => ({ referrer: 'search' }),
  };
  const request = {
    user: { id: 'u_1001', email: 'someone@example.com' },
    params: { appId: 'app_42' },
    headers: { 'x-request-id': 'req-7', 'user-agent': 'Mozilla/5.0' },
    ip: '203.0.113.7',
  };

  it('builds the activity of the request: user actor, entity, metadata, request id, nothing else', () => {
    const input = activityFromRequest(viewed, request, { name: 'Chess' });
    expect(input).toEqual({
      type: 'app.viewed',
      actor: { type: 'user', id: 'u_1001' },
      entity: { type: 'app', id: 'app_42' },
      metadata: { referrer: 'search' },
      context: { requestId: 'req-7' },
    });
    // What the client will build from it is a valid event of the contract.
    expect(
      validateActivityEvent(toActivityEvent(input as ActivityInput, { source: '/services/app-catalog' })).ok,
    ).toBe(true);
  });

  it('gives the metadata function the request and the response body', () => {
    const metadata = jest.fn((_request: unknown, body: unknown) => ({
      referrer: (body as { from: string }).from,
    }));
    const input = activityFromRequest({ ...viewed, metadata }, request, { from: 'home' });
    expect(metadata).toHaveBeenCalledWith(request, { from: 'home' });
    expect(input?.metadata).toEqual({ referrer: 'home' });
  });

  it('logs nothing for an anonymous request', () => {
    const metadata = jest.fn(() => ({ referrer: 'search' }));
    expect(activityFromRequest({ ...viewed, metadata }, { ...request, user: undefined }, {})).toBeUndefined();
    expect(metadata).not.toHaveBeenCalled();
  });

  it('takes the actor from the actor option instead of request.user', () => {
    const spec: TrackActivitySpec = {
      ...viewed,
      actor: (req) => ({ type: 'service', id: (req as { client: { name: string } }).client.name }),
    };
    const input = activityFromRequest(
      spec,
      { ...request, user: undefined, client: { name: 'importer' } },
      {},
    );
    expect(input?.actor).toEqual({ type: 'service', id: 'importer' });
  });

  it('logs nothing when the actor option finds no actor, even with a request.user', () => {
    expect(activityFromRequest({ ...viewed, actor: () => undefined }, request, {})).toBeUndefined();
  });

  it('leaves out what is not configured or not found', () => {
    expect(activityFromRequest({ type: 'user.logged_in' }, { user: { sub: 'u_9' } }, undefined)).toEqual({
      type: 'user.logged_in',
      actor: { type: 'user', id: 'u_9' },
    });
  });

  it('lets an error of a callback through, for the interceptor to contain', () => {
    const failing: TrackActivitySpec = {
      ...viewed,
      metadata: () => {
        throw new TypeError('boom');
      },
    };
    expect(() => activityFromRequest(failing, request, {})).toThrow('boom');
  });
});
