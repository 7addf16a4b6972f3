import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds apps/web's pages into `<outDir>/apps/web/dist`, where the built gateway's DEFAULT_WEB_DIR
 * (`../../web/dist` from `<outDir>/apps/gateway/src`) looks. In a process of its own: Vite is ESM-only.
 */
export function buildWebPages(repoRoot: string, outDir: string): Promise<void> {
  const args = [
    join(repoRoot, 'node_modules/vite/bin/vite.js'),
    'build',
    '--config',
    join(repoRoot, 'apps/web/vite.config.mjs'),
    '--outDir',
    webPagesDir(outDir),
    '--emptyOutDir',
    '--logLevel',
    'warn',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code ?? signal}`)),
    );
  });
}

export function webPagesDir(outDir: string): string {
  return join(outDir, 'apps/web/dist');
}
