import { rateLimitKey } from './rate-limit-key';

const TOKEN = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
const API_KEY = 'web-key-0123456789abcdef0123';

describe('rateLimitKey', () => {
  it('counts a request with a bearer token against a hash of the token, never the token', async () => {
    const key = await rateLimitKey({ headers: { authorization: TOKEN }, ip: '10.0.0.1' });
    expect(key).toMatch(/^token:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('eyJ');
    expect(key).not.toContain('10.0.0.1');
  });

  it('counts an API key the same way', async () => {
    const key = await rateLimitKey({ headers: { 'x-api-key': API_KEY }, ip: '10.0.0.1' });
    expect(key).toMatch(/^token:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(API_KEY);
  });

  it('gives one credential one bucket from any address, and two credentials two', async () => {
    const a = await rateLimitKey({ headers: { authorization: TOKEN }, ip: '10.0.0.1' });
    const b = await rateLimitKey({ headers: { authorization: TOKEN }, ip: '10.0.0.2' });
    const other = await rateLimitKey({ headers: { authorization: `${TOKEN}x` }, ip: '10.0.0.1' });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
  });

  it('falls back to the address for an anonymous request', async () => {
    await expect(rateLimitKey({ headers: {}, ip: '10.0.0.1' })).resolves.toBe('ip:10.0.0.1');
    await expect(rateLimitKey({ headers: { authorization: '' }, ip: '::1' })).resolves.toBe('ip:::1');
    await expect(rateLimitKey({ headers: { authorization: ['a', 'b'] }, ip: '::1' })).resolves.toBe('ip:::1');
  });

  it('copes with a request without headers or address', async () => {
    await expect(rateLimitKey({})).resolves.toBe('ip:unknown');
  });
});
