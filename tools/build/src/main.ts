// `npm run build`: compiles the gateway, both workers, the simulator and the migration commands into
// dist/ (run them with plain `node dist/apps/<app>/src/main.js`), with the web pages in dist/apps/web/dist.
// `--out-dir <dir>` builds elsewhere; `--skip-web` leaves the pages out.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildDist } from './build';

const REPO_ROOT = join(__dirname, '../../..');

const USAGE = `Usage: npm run build -- [--out-dir <dir>] [--skip-web]

Compiles the gateway, both workers, the simulator and the migration commands into dist/ (run them with
plain \`node dist/apps/<app>/src/main.js\`), with the web pages in dist/apps/web/dist.

  --out-dir <dir>    build there instead (default dist/)
  --skip-web         leave the web pages out
  -h, --help         this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'dist') },
      'skip-web': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const outDir = resolve(values['out-dir']);
  console.log(`[build] building into ${outDir}`);
  const result = await buildDist({
    repoRoot: REPO_ROOT,
    outDir,
    web: !values['skip-web'],
    log: (line) => console.log(`[build] ${line}`),
  });
  console.log(
    `[build] done in ${(result.elapsedMs / 1000).toFixed(1)} s: ${result.sources} files compiled, ${result.assets} copied`,
  );
}

main().catch((error: unknown) => {
  console.error(`[build] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
