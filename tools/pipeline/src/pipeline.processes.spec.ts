import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localPseudonymSecret, pipelineProcesses, prefixLines } from './pipeline.processes';

describe('pipelineProcesses', () => {
  it('migrates first, then starts the ingest worker and the simulator with its arguments', () => {
    const processes = pipelineProcesses(['--rate', '100']);
    expect(processes.map((p) => [p.name, p.once ?? false])).toEqual([
      ['migrate-events', true],
      ['ingest-worker', false],
      ['analytics-worker', false],
      ['simulator', false],
    ]);
    expect(processes[3]?.args.slice(-3)).toEqual(['apps/simulator/src/main.ts', '--rate', '100']);
    expect(processes[1]?.urls).toContain('http://127.0.0.1:9101/health');
  });
});

describe('prefixLines', () => {
  it('prefixes complete lines and keeps a partial one for the next chunk', () => {
    const first = prefixLines('w', '', 'one\ntw');
    expect(first).toEqual({ lines: ['[w] one'], pending: 'tw' });
    expect(prefixLines('w', first.pending, 'o\n')).toEqual({ lines: ['[w] two'], pending: '' });
  });
});

describe('localPseudonymSecret', () => {
  it('takes the one in the environment, else makes one once and keeps it, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeline-secret-'));
    try {
      const file = join(dir, 'sub/secret');
      expect(localPseudonymSecret({ ANALYTICS_PSEUDONYM_SECRET: 'given' }, file)).toBe('given');
      const made = localPseudonymSecret({}, file);
      expect(made).toMatch(/^[0-9a-f]{64}$/);
      expect(localPseudonymSecret({}, file)).toBe(made);
      expect(readFileSync(file, 'utf8').trim()).toBe(made);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
