import { localServiceDatabaseUrl } from './service-roles';

describe('localServiceDatabaseUrl', () => {
  it("swaps the user for the service's local login, keeping the server, database and options", () => {
    const owner = 'postgres://chronicle:chronicle@127.0.0.1:15432/events_1?sslmode=disable';
    expect(localServiceDatabaseUrl(owner, 'ingest')).toBe(
      'postgres://chronicle_ingest_worker:chronicle-ingest-local@127.0.0.1:15432/events_1?sslmode=disable',
    );
    expect(localServiceDatabaseUrl(owner, 'gateway')).toBe(
      'postgres://chronicle_gateway_api:chronicle-gateway-local@127.0.0.1:15432/events_1?sslmode=disable',
    );
  });

  it('gives a login to a URL that had none, and keeps the postgresql:// scheme', () => {
    expect(localServiceDatabaseUrl('postgresql://db.internal/chronicle', 'gateway')).toBe(
      'postgresql://chronicle_gateway_api:chronicle-gateway-local@db.internal/chronicle',
    );
  });

  it('refuses a URL without a host rather than drop the login', () => {
    expect(() => localServiceDatabaseUrl('postgres:///chronicle?host=/run/postgresql', 'ingest')).toThrow(
      /without a host/,
    );
  });
});
