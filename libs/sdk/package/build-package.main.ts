// `npm run build:sdk`: builds the installable @chronicle/sdk package into dist/sdk-package
// (`npm pack dist/sdk-package` makes the tarball). `--out-dir <dir>` builds elsewhere.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSdkPackage } from './build-package';

const REPO_ROOT = join(__dirname, '../../..');

const USAGE = `Usage: npm run build:sdk [-- --out-dir <dir>]

Builds the installable @chronicle/sdk package (CommonJS and ES module entries for the core and /nest,
type declarations, README) into dist/sdk-package; \`npm pack dist/sdk-package\` makes the tarball.

  --out-dir <dir>   build there instead
  -h, --help        this text
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string', default: join(REPO_ROOT, 'dist/sdk-package') },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { outDir, manifest } = await buildSdkPackage({
    repoRoot: REPO_ROOT,
    outDir: resolve(values['out-dir']),
  });
  console.log(`[build:sdk] ${manifest.name}@${manifest.version} in ${outDir}`);
  console.log(`[build:sdk] dependencies: ${Object.keys(manifest.dependencies).join(', ')}`);
  console.log(`[build:sdk] optional peers (./nest): ${Object.keys(manifest.peerDependencies).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
