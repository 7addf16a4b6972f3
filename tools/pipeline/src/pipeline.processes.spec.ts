import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_HISTORY } from './demo-history.plan';
import {
  DEMO_HTTP_SOURCE,
  demoBackfillProcess,
  localSecret,
  localSecrets,
  pipelineProcesses,
  prefixLines,
  type PipelineProcess,
} from './pipeline.processes';

/** The simulator's command line of a process, as option → value (the last one given wins, as in parseArgs). */
function simulatorOptions(process_: PipelineProcess | undefined): Record<string, string> {
  const args = process_?.args ?? [];
  const script = args.indexOf('apps/simulator/src/main.ts');
  expect(script).toBeGreaterThan(0);
  const options: Record<string, string> = {};
  const rest = args.slice(script + 1);
  for (let i = 0; i < rest.length; i += 2) options[rest[i] as string] = rest[i + 1] as string;
  return options;
}

describe('pipelineProcesses', () => {
  it('migrates first, then starts Prometheus, the workers, the gateway and the simulator, then mints tokens', () => {
    const processes = pipelineProcesses(['--rate', '100']);
    expect(processes.map((p) => [p.name, p.once ?? false])).toEqual([
      ['migrate-events', true],
      ['migrate-analytics', true],
      ['prometheus', false],
      ['ingest-worker', false],
      ['analytics-worker', false],
      ['build-web', true],
      ['gateway', false],
      ['simulator', false],
      ['token', true],
      ['token', true],
    ]);
    expect(processes[7]?.args.slice(-2)).toEqual(['--rate', '100']);
    expect(processes[3]?.urls).toContain('http://127.0.0.1:9101/health');
    expect(processes[6]?.urls).toContain('http://127.0.0.1:3000/api/docs');
    expect(processes[8]?.args).toContain('--admin');
  });

  it("gives the migration the owner's DATABASE_URL, the ingest worker and the gateway their own logins, no other process one", () => {
    const processes = pipelineProcesses([], {
      databaseUrl: 'postgres://owner:secret@127.0.0.1:15432/chronicle',
    });
    const databaseUrlOf = (name: string) => processes.find((p) => p.name === name)?.env?.['DATABASE_URL'];
    expect(databaseUrlOf('migrate-events')).toBe('postgres://owner:secret@127.0.0.1:15432/chronicle');
    expect(processes[0]?.args).toContain('--local-logins');
    expect(databaseUrlOf('ingest-worker')).toBe(
      'postgres://chronicle_ingest_worker:chronicle-ingest-local@127.0.0.1:15432/chronicle',
    );
    expect(databaseUrlOf('gateway')).toBe(
      'postgres://chronicle_gateway_api:chronicle-gateway-local@127.0.0.1:15432/chronicle',
    );
    expect(processes.filter((p) => p.env?.['DATABASE_URL']).map((p) => p.name)).toEqual([
      'migrate-events',
      'ingest-worker',
      'gateway',
    ]);
  });

  it('backfills, when asked, once the workers run and before the gateway and the live traffic', () => {
    const names = pipelineProcesses([], { backfill: true }).map((p) => p.name);
    expect(names).toEqual([
      'migrate-events',
      'migrate-analytics',
      'prometheus',
      'ingest-worker',
      'analytics-worker',
      'demo-backfill',
      'build-web',
      'gateway',
      'simulator',
      'token',
      'token',
    ]);
  });

  it("plays the history's population live, into the workers' topic; the command line may override it", () => {
    const processes = pipelineProcesses(['--rate', '100'], { eventsTopic: 'events.x', backfill: true });
    const live = simulatorOptions(processes.find((p) => p.name === 'simulator'));
    const backfill = simulatorOptions(processes.find((p) => p.name === 'demo-backfill'));
    expect(live).toEqual({ '--topic': 'events.x', '--users': '2000', '--seed': 'demo', '--rate': '100' });
    expect(backfill).toMatchObject({ '--topic': 'events.x', '--users': '2000', '--seed': 'demo' });
    const overridden = simulatorOptions(
      pipelineProcesses(['--users', '50']).find((p) => p.name === 'simulator'),
    );
    expect(overridden).toMatchObject({ '--users': '50', '--topic': 'activity.events.v1' });
  });
});

describe('demoBackfillProcess', () => {
  it("runs the simulator's seeded backfill of the demo's 30 days, with a progress line each second", () => {
    const process_ = demoBackfillProcess('events.t');
    expect(process_).toMatchObject({ name: 'demo-backfill', once: true, urls: [] });
    expect(process_.args.slice(0, 2)).toEqual(['--import', 'tsx']);
    expect(simulatorOptions(process_)).toEqual({
      '--backfill-days': String(DEMO_HISTORY.days),
      '--users': String(DEMO_HISTORY.users),
      '--seed': DEMO_HISTORY.seed,
      '--topic': 'events.t',
      '--ops-port': '0',
      '--progress-every': '1s',
    });
    expect(DEMO_HISTORY).toEqual({ days: 30, users: 2_000, seed: 'demo' });
  });
});

describe('prefixLines', () => {
  it('prefixes complete lines and keeps a partial one for the next chunk', () => {
    const first = prefixLines('w', '', 'one\ntw');
    expect(first).toEqual({ lines: ['[w] one'], pending: 'tw' });
    expect(prefixLines('w', first.pending, 'o\n')).toEqual({ lines: ['[w] two'], pending: '' });
  });
});

describe('localSecret', () => {
  it('takes the one in the environment, else makes one once and keeps it, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-secret-'));
    try {
      const file = join(dir, 'sub/secret');
      expect(localSecret({ ANALYTICS_PSEUDONYM_SECRET: 'given' }, 'ANALYTICS_PSEUDONYM_SECRET', file)).toBe(
        'given',
      );
      const made = localSecret({}, 'ANALYTICS_PSEUDONYM_SECRET', file);
      expect(made).toMatch(/^[0-9a-f]{64}$/);
      expect(localSecret({}, 'ANALYTICS_PSEUDONYM_SECRET', file)).toBe(made);
      expect(readFileSync(file, 'utf8').trim()).toBe(made);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('localSecrets', () => {
  it('makes a token key and a demo API key unless the environment configures them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-secrets-'));
    try {
      const made = localSecrets({}, dir);
      expect(made['JWT_HS256_SECRET']).toMatch(/^[0-9a-f]{64}$/);
      expect(made['GATEWAY_API_KEYS']).toMatch(new RegExp(`^${DEMO_HTTP_SOURCE}=[0-9a-f]{64}$`));
      expect(localSecrets({}, dir)).toEqual(made);
      const configured = localSecrets(
        { JWT_JWKS_URL: 'https://idp.example/jwks', GATEWAY_API_KEYS: '/s=k' },
        dir,
      );
      expect(configured['JWT_HS256_SECRET']).toBeUndefined();
      expect(configured['GATEWAY_API_KEYS']).toBe('/s=k');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns the dev sign-in on only with the token key it provides itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-secrets-'));
    try {
      expect(localSecrets({}, dir)['GATEWAY_DEV_SIGN_IN']).toBe('true');
      // The user's own key source (any of the three) is not for minting tokens at will.
      for (const keySource of [
        { JWT_HS256_SECRET: 'a-secret-of-the-users-own-of-32-bytes+' },
        { JWT_RS256_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n' },
        { JWT_JWKS_URL: 'https://idp.example/jwks' },
      ])
        expect(localSecrets(keySource, dir)).not.toHaveProperty('GATEWAY_DEV_SIGN_IN');
      // A user who turns it off keeps it off.
      expect(localSecrets({ GATEWAY_DEV_SIGN_IN: 'false' }, dir)['GATEWAY_DEV_SIGN_IN']).toBe('false');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
