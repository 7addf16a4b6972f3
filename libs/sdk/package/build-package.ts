import { build, type Plugin } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

/**
 * Builds `@chronicle/sdk` as an installable npm package: one CommonJS bundle per entry (`.` and
 * `./nest`) with the workspace libraries (@chronicle/contracts, @chronicle/kafka-send) inlined and
 * every npm package left external; an ES-module entry per bundle that re-exports it (one copy of each
 * class whichever way it is loaded, so `ActivityClient` is one Nest injection token); declarations
 * from tsc; a manifest whose dependencies are exactly the npm packages the bundles import.
 */

export interface SdkPackageOptions {
  repoRoot: string;
  /** Emptied, then filled: `dist/sdk-package` by default (see build-package.main.ts). */
  outDir: string;
}

export interface SdkPackage {
  outDir: string;
  manifest: PackageManifest;
}

export interface PackageManifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  [key: string]: unknown;
}

const PACKAGE_NAME = '@chronicle/sdk';
/** The workspace libraries the SDK inlines: they are not published. */
const INLINED = new Set(['@chronicle/contracts', '@chronicle/kafka-send']);
const ENTRIES = { index: 'libs/sdk/src/index.ts', nest: 'libs/sdk/src/nest/index.ts' } as const;
type EntryName = keyof typeof ENTRIES;
const BUILTINS = new Set(builtinModules);

export async function buildSdkPackage({ repoRoot, outDir }: SdkPackageOptions): Promise<SdkPackage> {
  if (!relative(outDir, repoRoot).startsWith('..')) throw new Error(`refusing to empty ${outDir}`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'dist'), { recursive: true });

  const imported: Record<EntryName, Set<string>> = { index: new Set(), nest: new Set() };
  const exportNames = {} as Record<EntryName, string[]>;
  for (const entry of Object.keys(ENTRIES) as EntryName[]) {
    const common = {
      entryPoints: [join(repoRoot, ENTRIES[entry])],
      bundle: true,
      platform: 'node' as const,
      target: 'node20',
      tsconfig: join(repoRoot, 'tsconfig.json'),
      plugins: [externals(entry, imported[entry])],
      logLevel: 'silent' as const,
      metafile: true,
    };
    await build({ ...common, format: 'cjs', outfile: join(outDir, 'dist', `${entry}.cjs`) });
    // The same bundle as an ES module, not written: only to read the names it exports.
    const esm = await build({ ...common, format: 'esm', write: false, outdir: join(outDir, 'esm') });
    exportNames[entry] = Object.values(esm.metafile?.outputs ?? {}).flatMap((output) => output.exports);
    writeFileSync(join(outDir, 'dist', `${entry}.mjs`), esmWrapper(entry, exportNames[entry]));
  }

  const types = emitDeclarations(repoRoot, join(outDir, 'types'));
  const manifest = packageManifest(readRootManifest(repoRoot), imported, types);
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(
    join(outDir, 'README.md'),
    packageReadme(readFileSync(join(repoRoot, 'docs/sdk.md'), 'utf8')),
  );
  return { outDir, manifest };
}

/**
 * Leaves npm packages and Node's built-ins to `require`, noting which packages; lets esbuild inline
 * the workspace libraries (through tsconfig's paths); and, in the Nest entry, points the client at
 * the main entry, so that both entries share one `ActivityClient` class.
 */
function externals(entry: EntryName, imported: Set<string>): Plugin {
  return {
    name: 'chronicle-sdk-externals',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, ({ path, importer }) => {
        if (entry === 'nest' && /[/\\]lib[/\\]activity-client$/.test(resolve(dirname(importer), path)))
          return { path: PACKAGE_NAME, external: true };
        if (path.startsWith('.') || path.startsWith('/')) return undefined;
        const name = packageName(path);
        if (INLINED.has(name)) return undefined;
        if (name.startsWith('@chronicle/'))
          throw new Error(`${importer} imports ${path}, which is not published`);
        if (!path.startsWith('node:') && !BUILTINS.has(path)) imported.add(name);
        return { path, external: true };
      });
    },
  };
}

/** `@nestjs/common/x` → `@nestjs/common`, `rxjs/operators` → `rxjs`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function esmWrapper(entry: EntryName, names: string[]): string {
  return [
    `// The CommonJS bundle, re-exported: one copy of each class for require() and import alike.`,
    `import bundle from './${entry}.cjs';`,
    `export const { ${[...names].sort().join(', ')} } = bundle;`,
    '',
  ].join('\n');
}

/**
 * Declarations of the SDK and of the workspace libraries its types mention, laid out as in the
 * repository, with the `@chronicle/*` imports rewritten into relative ones. Returns each entry's file.
 */
function emitDeclarations(repoRoot: string, typesDir: string): Record<EntryName, string> {
  const scratch = mkdtempSync(join(tmpdir(), 'chronicle-sdk-types-'));
  try {
    const tsconfig = join(scratch, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(repoRoot, 'tsconfig.base.json'),
        files: Object.values(ENTRIES).map((entry) => join(repoRoot, entry)),
        compilerOptions: {
          noEmit: false,
          declaration: true,
          emitDeclarationOnly: true,
          sourceMap: false,
          rootDir: repoRoot,
          outDir: typesDir,
          // Resolved from the scratch directory otherwise.
          typeRoots: [join(repoRoot, 'node_modules/@types')],
          types: ['node'],
        },
      }),
    );
    try {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], {
        stdio: 'pipe',
      });
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
      throw new Error(`tsc could not emit the declarations:\n${output}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const libraryIndex = (name: string) => join(typesDir, 'libs', name.replace('@chronicle/', ''), 'src/index');
  for (const file of filesUnder(typesDir).filter((path) => path.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(/(["'])(@chronicle\/[\w-]+)\1/g, (whole, quote: string, name: string) => {
      if (!INLINED.has(name)) throw new Error(`${file} refers to ${name}, which is not published`);
      const target = relative(dirname(file), libraryIndex(name)).split(sep).join(posix.sep);
      return `${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  return {
    index: './types/libs/sdk/src/index.d.ts',
    nest: './types/libs/sdk/src/nest/index.d.ts',
  };
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(directory, entry.name)) : [join(directory, entry.name)],
  );
}

interface RootManifest {
  version: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
}

function readRootManifest(repoRoot: string): RootManifest {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as RootManifest;
}

/**
 * The package's manifest: what the main entry imports is a dependency; what only the Nest entry
 * imports (Nest itself, rxjs) is an optional peer, the application's own copy. Versions are the
 * workspace's.
 */
export function packageManifest(
  root: RootManifest,
  imported: Record<EntryName, ReadonlySet<string>>,
  types: Record<EntryName, string>,
): PackageManifest {
  const versionOf = (name: string) => {
    const version = root.dependencies[name];
    if (version === undefined)
      throw new Error(`the SDK imports ${name}, which package.json does not depend on`);
    return version;
  };
  const dependencies = [...imported.index].sort();
  const peers = [...imported.nest]
    .filter((name) => !imported.index.has(name) && name !== PACKAGE_NAME)
    .sort();
  const entry = (name: EntryName) => ({
    types: types[name],
    import: `./dist/${name}.mjs`,
    require: `./dist/${name}.cjs`,
  });
  return {
    name: PACKAGE_NAME,
    version: root.version,
    description:
      'Records user activities from any Node.js service into Chronicle (Kafka), with a NestJS module.',
    license: root.license ?? 'UNLICENSED',
    type: 'commonjs',
    main: './dist/index.cjs',
    types: types.index,
    exports: { '.': entry('index'), './nest': entry('nest'), './package.json': './package.json' },
    ...(root.engines ? { engines: root.engines } : {}),
    dependencies: Object.fromEntries(dependencies.map((name) => [name, versionOf(name)])),
    peerDependencies: Object.fromEntries(peers.map((name) => [name, versionOf(name)])),
    peerDependenciesMeta: Object.fromEntries(peers.map((name) => [name, { optional: true }])),
  };
}

/** Sections of docs/sdk.md about this repository rather than the package's use. */
const REPOSITORY_SECTIONS = new Set(['The npm package', 'Measured']);

/** The README: docs/sdk.md without its links into the repository and its sections about it. */
export function packageReadme(sdkDoc: string): string {
  const forUsers = sdkDoc
    .split(/\n(?=## )/)
    .filter((section) => !REPOSITORY_SECTIONS.has(/^## (.*)/.exec(section)?.[1] ?? ''))
    .join('\n');
  const withoutRepositoryLinks = forUsers.replace(/\[([^\]]+)\]\((?!https?:)[^)]+\)/g, '$1');
  const install = [
    '## Install',
    '',
    '```sh',
    'npm install @chronicle/sdk   # kafkajs, prom-client and ajv come with it',
    '```',
    '',
    "The NestJS module (`@chronicle/sdk/nest`) uses the application's own `@nestjs/common`, `@nestjs/core`",
    'and `rxjs`. Both CommonJS (`require`) and ES modules (`import`) work.',
    '',
  ].join('\n');
  const firstSection = withoutRepositoryLinks.indexOf('\n## ');
  return `${withoutRepositoryLinks.slice(0, firstSection + 1)}${install}${withoutRepositoryLinks.slice(firstSection + 1)}`;
}
