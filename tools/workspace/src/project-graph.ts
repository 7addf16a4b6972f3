import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '../../..');

/** Our projects and what each depends on (other projects of ours only; npm packages left out). */
export type ProjectEdges = Map<string, Set<string>>;

interface GraphFile {
  graph: { dependencies: Record<string, { target: string; type: string }[]> };
}

/**
 * The workspace's project graph as `nx graph --file` writes it: the edges Nx found in the code's
 * imports (source analysis is on in nx.json) plus the implicit ones project.json files declare.
 */
export function readProjectGraph(): ProjectEdges {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-graph-'));
  try {
    const file = join(dir, 'graph.json');
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], {
      cwd: REPO_ROOT,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
    return projectEdges(JSON.parse(readFileSync(file, 'utf8')) as GraphFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function projectEdges(file: GraphFile): ProjectEdges {
  const edges: ProjectEdges = new Map();
  for (const [source, targets] of Object.entries(file.graph.dependencies)) {
    if (source.startsWith('npm:')) continue;
    edges.set(source, new Set(targets.map((t) => t.target).filter((target) => !target.startsWith('npm:'))));
  }
  return edges;
}
