import { pipelineProcesses, prefixLines } from './pipeline.processes';

describe('pipelineProcesses', () => {
  it('migrates first, then starts the ingest worker and the simulator with its arguments', () => {
    const processes = pipelineProcesses(['--rate', '100']);
    expect(processes.map((p) => [p.name, p.once ?? false])).toEqual([
      ['migrate-events', true],
      ['ingest-worker', false],
      ['simulator', false],
    ]);
    expect(processes[2]?.args.slice(-3)).toEqual(['apps/simulator/src/main.ts', '--rate', '100']);
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
