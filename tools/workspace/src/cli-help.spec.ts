import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNpmScript } from './npm-run';

const REPO_ROOT = join(__dirname, '../../..');
const SCRIPTS: Record<string, string> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'),
).scripts;

/** Each script that takes arguments, and the start of the usage its `-- --help` prints. */
const HELP_SCRIPTS: Record<string, string> = {
  start: 'Usage: npm start',
  'test:unit': 'Usage: jest',
  'stack:up': 'Usage: tsx tools/stack/src/main.ts',
  'stack:down': 'Usage: tsx tools/stack/src/main.ts',
  'stack:status': 'Usage: tsx tools/stack/src/main.ts',
  'docs:event-types': 'Usage: npm run docs:event-types',
  'docs:configuration': 'Usage: npm run docs:configuration',
  'docs:asyncapi': 'Usage: npm run docs:asyncapi',
  'docs:openapi': 'Usage: npm run docs:openapi',
  'docs:graphql': 'Usage: npm run docs:graphql',
  'bench:sdk': 'Usage: npm run bench:sdk',
  simulate: 'Usage: tsx apps/simulator/src/main.ts',
  'bench:simulator': 'Usage: tsx apps/simulator/src/main.ts',
  'migrate:events': 'Usage: tsx libs/events-store/src/migrate.main.ts',
  'bench:ingest': 'Usage: npm run bench:ingest',
  'migrate:analytics': 'Usage: tsx libs/analytics/src/migrate.main.ts',
  'bench:analytics': 'Usage: npm run bench:analytics',
  'bench:gateway': 'Usage: npm run bench:gateway',
  'bench:pipeline': 'Usage: npm run bench:pipeline',
  'bench:kafka-clients': 'Usage: npm run bench:kafka-clients',
  chaos: 'Usage: npm run chaos',
  token: 'Usage: npm run token',
  'build:web': '$ vite build',
  build: 'Usage: npm run build',
  'build:sdk': 'Usage: npm run build:sdk',
  'deploy:k8s-rules': 'Usage: npm run deploy:k8s-rules',
};

/** The scripts not run here, and why. */
const NOT_CHECKED: Record<string, string> = {
  test: 'typechecks and lints the workspace (minutes) before jest sees --help; `npx jest --help` answers at once',
  lint: 'the whole workspace; takes no arguments of ours',
  typecheck: 'the whole workspace; takes no arguments of ours',
  format: 'the whole workspace; takes no arguments of ours',
};

const HELP_TIMEOUT_MS = 30_000;

describe('package.json scripts', () => {
  it('are each either checked for --help below or listed with the reason they are not', () => {
    const unlisted = Object.keys(SCRIPTS).filter((name) => !(name in HELP_SCRIPTS) && !(name in NOT_CHECKED));
    expect(unlisted).toEqual([]);
  });
});

describe('npm run <script> -- --help', () => {
  it.each(Object.entries(HELP_SCRIPTS))(
    '%s prints its usage and exits 0, installing and starting nothing',
    (script, usage) => {
      const run = runNpmScript(REPO_ROOT, script, ['--help']);
      expect(run.stdout).toContain(usage);
      expect(run.status).toBe(0);
      expect(run.installAttempts).toEqual([]);
      // `stack run` prints "[stack] ready" once the engines are up, before it runs the command.
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\[stack\]/m);
    },
    HELP_TIMEOUT_MS,
  );

  it(
    'answers -h as well',
    () => {
      const run = runNpmScript(REPO_ROOT, 'token', ['-h']);
      expect(run.stdout).toContain(HELP_SCRIPTS['token']);
      expect(run.status).toBe(0);
    },
    HELP_TIMEOUT_MS,
  );
});

describe('the bootstrap steps, in a checkout whose npm packages are missing', () => {
  const BOOTSTRAP = join(REPO_ROOT, 'tools/bootstrap');
  const checkouts: string[] = [];
  afterAll(() => checkouts.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** A copy of the bootstrap beside a lockfile with no node_modules: ensure-installed would install. */
  function freshCheckout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'chronicle-fresh-'));
    checkouts.push(dir);
    cpSync(BOOTSTRAP, join(dir, 'tools/bootstrap'), { recursive: true });
    // ensure-installed first, as in package.json's scripts: the other steps install system packages
    // (Chromium, PgBouncer, …) only where they are missing, which depends on the machine.
    const steps = readdirSync(BOOTSTRAP)
      .filter((file) => file.startsWith('ensure-'))
      .sort((a, b) => Number(b === 'ensure-installed.js') - Number(a === 'ensure-installed.js'))
      .map((file) => `node tools/bootstrap/${file}`);
    const command = `${steps.join(' && ')} && node -e "console.log('Usage: the command')"`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh', scripts: { command } }));
    writeFileSync(join(dir, 'package-lock.json'), '{}');
    return dir;
  }

  it(
    'install nothing when the command is asked for --help',
    () => {
      const run = runNpmScript(freshCheckout(), 'command', ['--help']);
      expect(run.installAttempts).toEqual([]);
      expect(run.stdout).toContain('Usage: the command');
      expect(run.status).toBe(0);
    },
    HELP_TIMEOUT_MS,
  );

  it(
    'install the npm packages otherwise (the spy sees it)',
    () => {
      const run = runNpmScript(freshCheckout(), 'command', ['--rate', '5']);
      expect(run.installAttempts).toEqual(['npm install --no-save --no-audit --no-fund']);
      expect(run.status).not.toBe(0);
    },
    HELP_TIMEOUT_MS,
  );
});
