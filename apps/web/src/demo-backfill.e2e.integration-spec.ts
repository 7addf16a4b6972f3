import { stackEnvironmentFromEnv } from '@chronicle/stack';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- one test bed for the pipeline: the gateway's e2e tests' own
import { createPipelineTestBed, type PipelineTestBed } from '../../gateway/test/pipeline-test-bed';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the very process `npm start` runs for the demo's history
import { BUILD_WEB, demoBackfillProcess } from '../../../tools/pipeline/src/pipeline.processes';

/*
 * `npm start`'s demo history, end to end: the backfill process npm start runs (the simulator with the
 * demo's options), into a topic of this test's own, consumed by both workers, then the Analytics page
 * in headless Chromium as an admin sees it.
 */

jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, '../../..');
const ARTIFACTS = path.join(REPO, 'apps/web/test-artifacts');
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const TOKEN_KEY = 'chronicle.token';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Runs a pipeline process as `npm start` does (node with its arguments, from the repository's root). */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe("npm start's demo history on the Analytics page", () => {
  let bed: PipelineTestBed;
  let browser: Browser;
  /** The end of the backfill's window: it starts then, and its events fall in the 30 days before. */
  let backfillEnd: number;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    let began = Date.now();
    // The gateway serves the build it finds when it starts; always a fresh one (Vite is ESM-only, so
    // it runs as its own process, as in web.e2e.integration-spec.ts).
    const build = await run(BUILD_WEB.args, process.env);
    if (build.code !== 0) throw new Error(`vite build failed:\n${build.output}`);
    bed = await createPipelineTestBed('web_demo');
    timings['build and pipeline up'] = Date.now() - began;

    began = backfillEnd = Date.now();
    const backfill = demoBackfillProcess(bed.topics.events.name);
    const brokers = stackEnvironmentFromEnv().kafkaBrokers.join(',');
    const { code, output } = await run(backfill.args, { ...process.env, KAFKA_BROKERS: brokers });
    timings['backfill published'] = Date.now() - began;
    // Its progress lines and the summary's totals (the mix by type that follows is left out), unless it failed.
    const totals =
      code === 0 ? output.slice(0, output.indexOf('\n', output.indexOf('  kafka ')) + 1) : output;
    console.log(`the demo's backfill (${backfill.args.slice(2).join(' ')}):\n${totals}`);
    expect(code).toBe(0);
    expect(output).toMatch(/published ([0-9,]+) .*dropped 0/);

    began = Date.now();
    await bed.caughtUp(150_000);
    timings['both workers caught up'] = Date.now() - began;
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 175_000);

  afterAll(async () => {
    await browser?.close();
    await bed?.teardown();
    console.log(
      `timings (ms):\n${Object.entries(timings)
        .map(([step, ms]) => `  ${step.padEnd(24)} ${ms}`)
        .join('\n')}`,
    );
  });

  it('charts 30 days of non-zero DAU and shows at least 28 daily cohorts and the top apps', async () => {
    // The 30 days up to today, as the page shows by default; just after midnight UTC today holds too
    // little of the backfill (its last minutes) to be sure of a user, so the 30 days end yesterday.
    const to = utcDay(backfillEnd - 3 * HOUR_MS);
    const from = utcDay(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const token = await bed.token('demo-admin', { admin: true });
    await context.addInitScript({
      content: `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)})`,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const began = Date.now();
    await page.goto(`${bed.gatewayUrl}/analytics?from=${from}&to=${to}&tz=UTC`);
    const activeUsers = page.locator('#chart-active-users[data-series]');
    await activeUsers.waitFor();
    timings['analytics page drawn'] = Date.now() - began;

    expect(await activeUsers.getAttribute('data-points')).toBe('30');
    const series = JSON.parse((await activeUsers.getAttribute('data-series')) ?? '{}') as Record<
      string,
      number[]
    >;
    const dau = series['DAU'] ?? [];
    console.log(`DAU from ${from} to ${to}: ${dau.join(' ')}; MAU on ${to}: ${series['MAU']?.at(-1)}`);
    expect(dau).toHaveLength(30);
    expect(dau.filter((users) => !(users > 0))).toEqual([]);

    const cohorts = await page.locator('#retention tbody tr').count();
    console.log(`daily cohorts in the retention table: ${cohorts}`);
    expect(cohorts).toBeGreaterThanOrEqual(28);
    expect(await page.locator('#top-apps tbody tr').count()).toBe(10);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({
      path: path.join(ARTIFACTS, 'analytics-demo-history-desktop.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await context.close();
  });
});
