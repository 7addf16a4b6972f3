import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_HTTP_SOURCE,
  localSecret,
  localSecrets,
  pipelineProcesses,
  prefixLines,
} from './pipeline.processes';

describe('pipelineProcesses', () => {
  it('migrates first, then starts the workers, the gateway and the simulator, then mints tokens', () => {
    const processes = pipelineProcesses(['--rate', '100']);
    expect(processes.map((p) => [p.name, p.once ?? false])).toEqual([
      ['migrate-events', true],
      ['migrate-analytics', true],
      ['ingest-worker', false],
      ['analytics-worker', false],
      ['build-web', true],
      ['gateway', false],
      ['simulator', false],
      ['token', true],
      ['token', true],
    ]);
    expect(processes[6]?.args.slice(-3)).toEqual(['apps/simulator/src/main.ts', '--rate', '100']);
    expect(processes[2]?.urls).toContain('http://127.0.0.1:9101/health');
    expect(processes[5]?.urls).toContain('http://127.0.0.1:3000/api/docs');
    expect(processes[7]?.args).toContain('--admin');
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
