import { decodeActivityEvent, type ActivityEvent } from '@chronicle/contracts';
import {
  createTestDatabase,
  createTestTopic,
  spawnService,
  stackEnvironmentFromEnv,
  waitFor,
  type TestTopic,
} from '@chronicle/stack';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { buildSdkPackage } from '../package/build-package';

// Builds the package, packs it, installs the tarball into a project outside the workspace and runs
// plain `node` scripts there: what a user of the published package gets. The ingest worker then
// stores their events (it runs as a process of its own: an app is not a library's import).
jest.setTimeout(600_000);

const REPO_ROOT = join(__dirname, '../../..');
const { kafkaBrokers, databaseUrl } = stackEnvironmentFromEnv();

/** What must not reach a user's node_modules: the inlined workspace libraries and our dev tooling. */
const NOT_SHIPPED = [
  '@chronicle/contracts',
  '@chronicle/kafka-send',
  'tsx',
  'jest',
  'typescript',
  'esbuild',
  '@swc/core',
];

const script = (moduleSystem: 'cjs' | 'esm') => `${
  moduleSystem === 'cjs'
    ? "const { ActivityClient } = require('@chronicle/sdk');"
    : "import { ActivityClient } from '@chronicle/sdk';"
}
const [brokers, topic, runId] = process.argv.slice(2);
const published = [];
const client = new ActivityClient({
  source: '/tests/sdk-package-${moduleSystem}',
  brokers: brokers.split(','),
  topic,
  onDelivery: { published: (events) => published.push(...events.map((event) => event.id)) },
  onError: (error, { reason }) => console.error(reason, error.message),
});
for (let i = 0; i < 3; i++)
  client.log({
    type: 'app.viewed',
    actor: { type: 'user', id: \`u_\${runId}_${moduleSystem}_\${i}\` },
    entity: { type: 'app', id: 'app_42' },
    metadata: { referrer: 'search' },
  });
client.log({
  type: 'user.logged_in',
  actor: { type: 'user', id: \`u_\${runId}_${moduleSystem}_login\` },
  metadata: { method: 'password', mfa: false },
});
${
  // close() flushes; then the ids Kafka acknowledged go to stdout for the test to look for.
  moduleSystem === 'cjs'
    ? 'client.close().then(() => console.log(JSON.stringify(published)));'
    : 'await client.close();\nconsole.log(JSON.stringify(published));'
}
`;

/** Every package name under a node_modules tree, nested ones included. */
function installedPackages(nodeModules: string): string[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .flatMap((entry) =>
      entry.name.startsWith('@')
        ? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`)
        : [entry.name],
    )
    .flatMap((name) => [name, ...installedPackages(join(nodeModules, name, 'node_modules'))]);
}

/** The environment without the `npm_*` variables of the npm run that may have started jest. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
}

describe('the packed @chronicle/sdk, installed outside the workspace', () => {
  let scratch: string;
  let project: string;
  let topic: TestTopic;
  const runId = Date.now().toString(36);
  /** The ids each script's client saw Kafka acknowledge. */
  const published: Record<string, string[]> = {};

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'chronicle-sdk-package-'));
    const { outDir } = await buildSdkPackage({ repoRoot: REPO_ROOT, outDir: join(scratch, 'sdk-package') });
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', outDir, '--pack-destination', scratch, '--json'], {
        cwd: scratch,
        env: cleanEnv(),
        encoding: 'utf8',
      }),
    ) as { filename: string }[];
    project = join(scratch, 'app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'sdk-user', private: true }));
    const began = Date.now();
    execFileSync(
      'npm',
      ['install', join(scratch, packed?.filename ?? ''), '--prefer-offline', '--no-audit', '--no-fund'],
      { cwd: project, env: cleanEnv(), stdio: 'pipe' },
    );
    console.log(`npm install of the packed SDK took ${Date.now() - began} ms`);
    topic = await createTestTopic(kafkaBrokers, { prefix: 'sdk-package', partitions: 3 });
  });
  afterAll(async () => {
    await topic?.delete();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs with npm dependencies only: no workspace library, no dev tooling, not Nest', () => {
    const installed = installedPackages(join(project, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['@chronicle/sdk', 'kafkajs', 'prom-client', 'ajv']));
    expect(installed.filter((name) => name.startsWith('@chronicle/'))).toEqual(['@chronicle/sdk']);
    expect(installed.filter((name) => NOT_SHIPPED.includes(name) || name.startsWith('@nestjs/'))).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(project, 'node_modules/@chronicle/sdk/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string>; version: string };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['ajv', 'kafkajs', 'prom-client']);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(root.version);
  });

  it('delivers events logged from a CommonJS and an ES-module script run with plain node', async () => {
    for (const [moduleSystem, file] of [
      ['cjs', 'log.cjs'],
      ['esm', 'log.mjs'],
    ] as const) {
      writeFileSync(join(project, file), script(moduleSystem));
      const output = execFileSync(process.execPath, [file, kafkaBrokers.join(','), topic.name, runId], {
        cwd: project,
        encoding: 'utf8',
        timeout: 60_000,
      });
      published[moduleSystem] = JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as string[];
      expect(published[moduleSystem]).toHaveLength(4);
    }

    const received = await topic.read(8);
    const events: ActivityEvent[] = received.map(({ message }) => {
      const decoded = decodeActivityEvent(message);
      if (!decoded.ok) throw new Error(`undecodable record: ${JSON.stringify(decoded.problems)}`);
      return decoded.event;
    });
    expect(events.map((event) => event.id).sort()).toEqual(Object.values(published).flat().sort());
    for (const moduleSystem of ['cjs', 'esm']) {
      const mine = events.filter((event) => event.source === `/tests/sdk-package-${moduleSystem}`);
      expect(mine.map((event) => [event.type, event.data.actor.id]).sort()).toEqual(
        [
          ['app.viewed', `u_${runId}_${moduleSystem}_0`],
          ['app.viewed', `u_${runId}_${moduleSystem}_1`],
          ['app.viewed', `u_${runId}_${moduleSystem}_2`],
          ['user.logged_in', `u_${runId}_${moduleSystem}_login`],
        ].sort(),
      );
    }
  });

  it('gets those events stored in Postgres by the ingest worker', async () => {
    const ids = Object.values(published).flat();
    expect(ids).toHaveLength(8);
    const database = await createTestDatabase(databaseUrl, 'sdk_package');
    const sideTopics = await Promise.all(
      ['dlq', 'erasure', 'erasure-status'].map((name) =>
        createTestTopic(kafkaBrokers, { prefix: `sdk-package.${name}`, partitions: 1 }),
      ),
    );
    const client = new Client({ connectionString: database.url });
    let worker: Awaited<ReturnType<typeof spawnService>> | undefined;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'libs/events-store/src/migrate.main.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: database.url },
        stdio: 'pipe',
      });
      const [dlq, erasure, erasureStatus] = sideTopics.map((side) => side.name) as [string, string, string];
      worker = await spawnService({
        script: 'apps/ingest-worker/src/main.ts',
        startedMessage: 'ingest worker started',
        env: {
          KAFKA_BROKERS: kafkaBrokers.join(','),
          DATABASE_URL: database.url,
          ANALYTICS_PSEUDONYM_SECRET: 'sdk-package-test-pseudonym-secret-32+chars',
          INGEST_GROUP_ID: `sdk-package.${runId}`,
          EVENTS_TOPIC: topic.name,
          DLQ_TOPIC: dlq,
          ERASURE_TOPIC: erasure,
          ERASURE_STATUS_TOPIC: erasureStatus,
          INGEST_OPS_PORT: '0',
        },
      });
      await client.connect();
      const stored = async () =>
        (
          await client.query<{ id: string }>('SELECT id FROM activity_events WHERE id = ANY($1::uuid[])', [
            ids,
          ])
        ).rows;
      await waitFor(async () => (await stored()).length === ids.length, { timeoutMs: 60_000 });
      expect((await stored()).map((row) => row.id).sort()).toEqual([...ids].sort());
    } finally {
      await worker?.kill('SIGTERM');
      await client.end().catch(() => undefined);
      await Promise.all(sideTopics.map((side) => side.delete()));
      await database.drop();
    }
  });

  it('gives a TypeScript user the types, through the package exports', () => {
    writeFileSync(
      join(project, 'check.ts'),
      [
        "import { ActivityClient, type ActivityClientOptions } from '@chronicle/sdk';",
        "const options: ActivityClientOptions = { source: '/s', brokers: [], disabled: true };",
        'const testing = ActivityClient.forTesting(options);',
        'const actorId: string | undefined = testing.captured()[0]?.data.actor.id;',
        'export const used = [new ActivityClient(options), actorId];',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, stdio: 'pipe' }),
    ).not.toThrow();
    // The same check fails on a mistake, so its passing above means the types were read.
    writeFileSync(
      join(project, 'check.ts'),
      "import { ActivityClient } from '@chronicle/sdk';\nActivityClient.forTesting().nope();\n",
    );
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', project], { cwd: project, stdio: 'pipe' }),
    ).toThrow();
  });
});
