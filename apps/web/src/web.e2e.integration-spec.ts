import { uuidv7, type ActivityInput } from '@chronicle/contracts';
import { waitFor } from '@chronicle/stack';
import { parse } from 'csv-parse/sync';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// eslint-disable-next-line @nx/enforce-module-boundaries -- one test bed for the pipeline: the gateway's e2e tests' own
import { createPipelineTestBed, type PipelineTestBed } from '../../gateway/test/pipeline-test-bed';
import { definitionLine, formatPercent, lastDays, todayIn } from './analytics-view';

jest.setTimeout(300_000);

const REPO = path.resolve(__dirname, '../../..');
const DIST = path.join(REPO, 'apps/web/dist');
const ARTIFACTS = path.join(REPO, 'apps/web/test-artifacts');
/** Debian's `chromium` package; no browser is downloaded. */
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const TOKEN_KEY = 'chronicle.token';
const WIDTHS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

/** Every file of the build, gzipped one by one as a server would send them. */
function gzippedSizes(dir: string): { file: string; bytes: number; gzipped: number }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => statSync(file).isFile())
    .map((file) => {
      const content = readFileSync(file);
      return {
        file: path.relative(dir, file),
        bytes: content.length,
        gzipped: gzipSync(content, { level: 9 }).length,
      };
    });
}

describe('the web pages in Chromium, over the running pipeline', () => {
  let bed: PipelineTestBed;
  let browser: Browser;
  let adminToken: string;
  const contexts: BrowserContext[] = [];
  /** CSP violations and uncaught errors of every page: the pages must run under helmet's CSP untouched. */
  const pageProblems: string[] = [];
  const paints: Record<string, number | null> = {};
  /** Favicons the browser loaded: the check that none failed means something only if some were asked for. */
  let faviconsLoaded = 0;

  const userA = `u_web_a_${uuidv7().slice(-8)}`;
  const userB = `u_web_b_${uuidv7().slice(-8)}`;
  const eraser = `u_web_erase_${uuidv7().slice(-8)}`;

  /** A page signed in with `token` (or signed out), at the given width, in the browser's time zone. */
  async function open(
    token: string | null,
    size: keyof typeof WIDTHS = 'desktop',
    timezoneId?: string,
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: WIDTHS[size],
      acceptDownloads: true,
      locale: 'en-US',
      ...(timezoneId ? { timezoneId } : {}),
    });
    contexts.push(context);
    if (token)
      await context.addInitScript({
        content: `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)})`,
      });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        pageProblems.push(`csp: ${message.text()}`);
    });
    // The favicon is asked for by the browser, not by the page's code: a missing one shows only here.
    page.on('requestfailed', (request) => {
      if (/favicon/i.test(request.url())) pageProblems.push(`favicon: ${request.url()} failed`);
    });
    page.on('response', (response) => {
      if (!/favicon/i.test(response.url())) return;
      if (response.status() >= 400)
        pageProblems.push(`favicon: ${response.url()} answered ${response.status()}`);
      else faviconsLoaded++;
    });
    return page;
  }

  async function firstContentfulPaint(page: Page, name: string): Promise<void> {
    const paint = await waitFor(
      () => page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null),
      { timeoutMs: 5_000, what: `the first contentful paint of ${name}` },
    ).catch(() => null);
    paints[name] = paint === null ? null : Math.round(paint);
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    // Readable at the width: nothing wider than the screen makes the page scroll sideways.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect({ name, overflow }).toEqual({ name, overflow: 0 });
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  const apiJson = async <T>(route: string, token = adminToken): Promise<T> => {
    const response = await fetch(`${bed.gatewayUrl}${route}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`${route} answered ${response.status}`);
    return (await response.json()) as T;
  };

  const viewed = (user: string, app: string): ActivityInput => ({
    type: 'app.viewed',
    actor: { type: 'user', id: user },
    entity: { type: 'app', id: app },
    metadata: { referrer: 'search' },
  });
  const download = (
    user: string,
    app: string,
    type: 'download.initiated' | 'download.completed',
  ): ActivityInput => ({
    type,
    actor: { type: 'user', id: user },
    entity: { type: 'app', id: app },
    metadata:
      type === 'download.initiated'
        ? { downloadId: `dl_${app}`, version: '1.2.3', sizeBytes: 1_000 }
        : { downloadId: `dl_${app}`, version: '1.2.3', bytesTransferred: 1_000, durationMs: 120 },
  });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    // Always a fresh build, so that the tests never pass on stale assets. Vite is ESM-only, which jest's
    // CommonJS runtime cannot load, so it runs as its own process (it takes well under a second).
    execFileSync(
      process.execPath,
      [
        path.join(REPO, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/web/vite.config.mjs',
        '--logLevel',
        'warn',
      ],
      { cwd: REPO, stdio: 'inherit' },
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    // The gateway looks for apps/web/dist when it starts: the build comes first. With the local dev
    // sign-in on, as `npm start` runs it.
    bed = await createPipelineTestBed('web_e2e', { gatewayEnv: { GATEWAY_DEV_SIGN_IN: 'true' } });
    adminToken = await bed.token('web-admin', { admin: true });
    for (let i = 0; i < 6; i++) {
      bed.sdk.log(viewed(userA, `app_a${i}`));
      bed.sdk.log(viewed(userB, `app_b${i}`));
    }
    for (let i = 0; i < 3; i++) {
      bed.sdk.log(download(userA, `app_a${i}`, 'download.initiated'));
      bed.sdk.log(download(userA, `app_a${i}`, 'download.completed'));
      bed.sdk.log(download(userB, `app_b${i}`, 'download.initiated'));
    }
    for (let i = 0; i < 5; i++) bed.sdk.log(viewed(eraser, `app_e${i}`));
    await bed.caughtUp();
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 280_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await bed?.teardown();
    console.log(
      `first contentful paint (ms) by page:\n${Object.entries(paints)
        .map(([name, ms]) => `  ${name.padEnd(22)} ${ms ?? 'not measured'}`)
        .join('\n')}`,
    );
  });

  it('serves the built pages at / and the client routes, and keeps the API and its JSON 404s', async () => {
    const home = await fetch(`${bed.gatewayUrl}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(home.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await home.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    for (const route of ['/activity', '/analytics?from=2026-11-01', '/me', '/sign-in'])
      expect(await (await fetch(`${bed.gatewayUrl}${route}`)).text()).toBe(html);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const asset = await fetch(`${bed.gatewayUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    // The favicon is one of the hashed assets, an image of our own origin, which the CSP allows.
    const icon = /<link rel="icon" type="image\/svg\+xml" href="(\/assets\/favicon-[^"]+\.svg)"/.exec(
      html,
    )?.[1];
    expect(icon).toBeDefined();
    const favicon = await fetch(`${bed.gatewayUrl}${icon}`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(favicon.headers.get('cache-control')).toMatch(/immutable/);
    expect(await favicon.text()).toMatch(/^<svg /);
    expect(home.headers.get('content-security-policy')).toMatch(/img-src 'self'/);
    const unknownApi = await fetch(`${bed.gatewayUrl}/api/nothing-here`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ statusCode: 404 });
    expect((await fetch(`${bed.gatewayUrl}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${bed.gatewayUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${bed.gatewayUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${bed.gatewayUrl}/api/admin/activities`)).status).toBe(401);

    const sizes = gzippedSizes(DIST);
    const total = sizes.reduce((sum, file) => sum + file.gzipped, 0);
    console.log(
      `built assets (apps/web/dist), gzipped:\n${sizes
        .map((file) => `  ${file.file.padEnd(34)} ${file.bytes} B → ${file.gzipped} B`)
        .join('\n')}\n  total ${(total / 1024).toFixed(1)} KB gzipped`,
    );
    expect(total).toBeLessThan(300 * 1024);
  });

  it('signs in with a pasted token, and says so when the token is not valid', async () => {
    const page = await open(null);
    await page.goto(`${bed.gatewayUrl}/`);
    await page.waitForURL(/\/sign-in$/);
    await firstContentfulPaint(page, 'sign-in');
    await screenshot(page, 'sign-in-desktop');
    const wrong = await bed.token(userA, { secret: 'another-secret-of-at-least-thirty-two-bytes' });
    await page.getByLabel('Bearer token').fill(wrong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(/Your token has expired or is not valid/)
      .waitFor();
    await screenshot(page, 'sign-in-refused-desktop');
    // By keyboard: from the token field, Tab reaches the button.
    await page.getByLabel('Bearer token').fill(adminToken);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/activity$/);
    await page.locator('tr.activity').first().waitFor();

    const phone = await open(null, 'phone');
    await phone.goto(`${bed.gatewayUrl}/sign-in`);
    await screenshot(phone, 'sign-in-phone');
  });

  it('signs in with the local dev form as an admin, by keyboard, and shows the Activity page', async () => {
    expect(await (await fetch(`${bed.gatewayUrl}/api/dev/token`)).json()).toEqual({ enabled: true });
    const refused = await fetch(`${bed.gatewayUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'two words' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ statusCode: 400, field: 'userId' });

    const page = await open(null);
    await page.goto(`${bed.gatewayUrl}/activity`);
    await page.waitForURL(/\/sign-in\?next=/);
    const form = page.getByRole('form', { name: 'Local dev sign-in' });
    await form.waitFor();
    // A user id the gateway refuses is said so, in place.
    await form.getByLabel('User id').fill('two words');
    await form.getByRole('button', { name: 'Sign in as this user' }).click();
    await form
      .getByRole('alert')
      .getByText(/without spaces/)
      .waitFor();
    await screenshot(page, 'sign-in-dev-refused-desktop');
    // By keyboard: the user id, Tab to the admin box, Space ticks it, Tab to the button, Enter.
    await form.getByLabel('User id').fill('web-dev-admin');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await form.getByLabel('Admin').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/activity$/);
    await page.locator('tr.activity').first().waitFor();
    expect(await page.getByRole('link', { name: 'Analytics' }).count()).toBe(1);
    const token = await page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`);
    expect(
      await apiJson<{ items: unknown[] }>('/api/admin/activities?limit=1', token as string),
    ).toMatchObject({ items: [expect.anything()] });

    const phone = await open(null, 'phone');
    await phone.goto(`${bed.gatewayUrl}/sign-in`);
    await phone.getByRole('form', { name: 'Local dev sign-in' }).waitFor();
    await screenshot(phone, 'sign-in-dev-phone');
  });

  it('narrows the table to the filtered rows, keeps the filters in the URL, and exports exactly those rows', async () => {
    const page = await open(adminToken);
    await page.goto(`${bed.gatewayUrl}/activity`);
    await page.locator('tr.activity').first().waitFor();
    await firstContentfulPaint(page, 'activity');
    await page.getByLabel('User').fill(userA);
    await page.getByLabel(/^Types/).selectOption(['download.*']);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('userId') === userA);
    expect(new URL(page.url()).searchParams.get('type')).toBe('download.*');
    await waitFor(async () => (await page.locator('tr.activity').count()) === 6, {
      timeoutMs: 10_000,
      what: "userA's 6 downloads in the table",
    });
    const rows = await page
      .locator('tr.activity')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.querySelector('[data-actor]')?.textContent,
          tr.querySelector('[data-type]')?.textContent,
        ]),
      );
    expect(rows).toHaveLength(6);
    for (const [actor, type] of rows) {
      expect(actor).toBe(`user/${userA}`);
      expect(type).toMatch(/^download\./);
    }
    await page.locator('tr.activity details summary').first().click();
    await expect(page.locator('tr.activity details pre').first().textContent()).resolves.toMatch(
      /"downloadId"/,
    );
    await screenshot(page, 'activity-desktop');

    // The shared URL shows the same view.
    const phone = await open(adminToken, 'phone');
    await phone.goto(page.url());
    await waitFor(async () => (await phone.locator('tr.activity').count()) === 6, {
      timeoutMs: 10_000,
      what: 'the shared view on a phone',
    });
    await screenshot(phone, 'activity-phone');

    for (const format of ['csv', 'ndjson'] as const) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Export ${format.toUpperCase()}` }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^chronicle-activities-.+\\.${format}$`));
      const text = readFileSync(await download.path(), 'utf8');
      const exported =
        format === 'csv'
          ? (parse(text, { columns: true }) as { actor_id: string; activity_type: string }[]).map((row) => [
              row.actor_id,
              row.activity_type,
            ])
          : text
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line) as { actor: { id: string }; type: string })
              .map((row) => [row.actor.id, row.type]);
      expect(exported).toHaveLength(6);
      for (const [actor, type] of exported) {
        expect(actor).toBe(userA);
        expect(type).toMatch(/^download\./);
      }
    }
  });

  it('streams a matching event in at the top within 2 s of its publication when Live is on', async () => {
    const page = await open(adminToken);
    await page.goto(`${bed.gatewayUrl}/activity?userId=${userA}`);
    await page.locator('tr.activity').first().waitFor();
    // Someone reading further down keeps their place when rows arrive at the top.
    await page.setViewportSize({ width: 1280, height: 400 });
    // Page code as strings: this file is type-checked for Node, without the DOM's types.
    await page.evaluate('window.scrollTo(0, 250)');
    const anchorId = await page.evaluate<string | null>(
      `[...document.querySelectorAll('tr.activity')].find((row) => row.getBoundingClientRect().top >= 0)?.dataset.id ?? null`,
    );
    const anchorTop = () =>
      page.evaluate<number | null>(
        `document.querySelector('tr[data-id=${JSON.stringify(anchorId)}]')?.getBoundingClientRect().top ?? null`,
      );
    const topBefore = await anchorTop();

    await page.getByRole('switch', { name: 'Live' }).check();
    await page.getByText('Live: new activities appear at the top').waitFor();
    const app = `app_live_${uuidv7().slice(-8)}`;
    const published = Date.now();
    bed.sdk.log(viewed(userB, `${app}_other`));
    bed.sdk.log(viewed(userA, app));
    await bed.sdk.flush();
    await page.locator('tr.activity.new', { hasText: app }).waitFor({ timeout: 2_000 });
    const latencyMs = Date.now() - published;
    console.log(`live: the published event showed in the table ${latencyMs} ms after it was logged`);
    expect(latencyMs).toBeLessThan(2_000);
    expect(await page.locator('tr.activity', { hasText: `${app}_other` }).count()).toBe(0);
    expect(await page.locator('tbody tr').first().textContent()).toContain(app);
    const topAfter = await anchorTop();
    expect(topAfter).not.toBeNull();
    expect(Math.abs((topAfter as number) - (topBefore as number))).toBeLessThanOrEqual(2);
  });

  it("draws the analytics from the real figures, as the API gives them, in the browser's zone by default", async () => {
    // No `tz` in the URL: the page counts days in the browser's zone and asks the API for it.
    const zone = 'America/New_York';
    const page = await open(adminToken, 'desktop', zone);
    const asked: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/admin/analytics/')) asked.push(new URL(request.url()));
    });
    await page.goto(`${bed.gatewayUrl}/analytics`);
    await page.locator('[data-figure="mau"]').waitFor();
    await firstContentfulPaint(page, 'analytics');
    expect(asked.length).toBe(9);
    for (const url of asked) expect(url.searchParams.get('tz')).toBe(zone);
    expect(await page.locator('#definition').getAttribute('data-time-zone')).toBe(zone);
    expect(await page.locator('.definition-line').textContent()).toBe(definitionLine(zone, 'calendar'));
    // The URL names the whole view, for sharing.
    expect(new URL(page.url()).searchParams.get('tz')).toBe(zone);
    expect(new URL(page.url()).searchParams.get('mode')).toBe('calendar');

    const { from, to } = lastDays(30, todayIn(zone));
    const range = `from=${from}&to=${to}&tz=${encodeURIComponent(zone)}`;
    const [mau, dau, top] = await Promise.all([
      apiJson<{ series: { day: string; users: number }[] }>(`/api/admin/analytics/mau?${range}`),
      apiJson<{ series: { day: string; users: number }[] }>(`/api/admin/analytics/dau?${range}`),
      apiJson<{ entities: { entityId: string; events: number }[] }>(
        `/api/admin/analytics/top-entities?${range}&entityType=app&limit=10`,
      ),
    ]);
    const latest = (series: { day: string; users: number }[]) =>
      series.find((point) => point.day === to)?.users ?? 0;
    expect(latest(mau.series)).toBeGreaterThanOrEqual(3);
    const shown = async (name: string) =>
      Number((await page.locator(`[data-figure="${name}"]`).textContent())?.replace(/[^0-9]/g, ''));
    expect(await shown('mau')).toBe(latest(mau.series));
    expect(await shown('dau')).toBe(latest(dau.series));
    const firstApp = page.locator('#top-apps tbody tr').first();
    expect(await firstApp.locator('th').textContent()).toBe(top.entities[0]?.entityId);
    expect(Number((await firstApp.locator('td').first().textContent())?.replace(/[^0-9]/g, ''))).toBe(
      top.entities[0]?.events,
    );
    for (const chart of ['#chart-active-users', '#chart-stickiness', '#chart-activity-mix'])
      expect(await page.locator(`${chart} canvas`).count()).toBe(1);
    expect(await page.locator('#retention tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'analytics-desktop');

    const phone = await open(adminToken, 'phone');
    await phone.goto(`${bed.gatewayUrl}/analytics`);
    await phone.locator('#chart-active-users canvas').waitFor();
    await screenshot(phone, 'analytics-phone');
  });

  it('shows the zone and retention mode of the URL, and marks the periods not over yet', async () => {
    // UTC+14, in a browser set to another zone: the URL's zone wins, and today there is not UTC's.
    const zone = 'Pacific/Kiritimati';
    const mode = 'rolling';
    const page = await open(adminToken, 'desktop', 'Europe/Berlin');
    const asked: URL[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/admin/analytics/')) asked.push(new URL(request.url()));
    });
    await page.goto(`${bed.gatewayUrl}/analytics?tz=${encodeURIComponent(zone)}&mode=${mode}`);
    await page.locator('[data-figure="mau"]').waitFor();

    // Every call names the zone; the retention ones the mode.
    expect(asked.length).toBe(9);
    for (const url of asked) {
      expect(url.searchParams.get('tz')).toBe(zone);
      if (url.pathname.includes('/retention')) expect(url.searchParams.get('mode')).toBe(mode);
    }
    // The definitions in use, from the replies.
    const definition = page.locator('#definition');
    expect(await definition.getAttribute('data-time-zone')).toBe(zone);
    expect(await definition.getAttribute('data-mode')).toBe(mode);
    const line = await page.locator('.definition-line').textContent();
    expect(line).toBe(definitionLine(zone, mode));
    expect(line).toContain(`Days in ${zone} · Retention: 24-hour windows`);
    expect(await page.locator('#range-tz').inputValue()).toBe(zone);
    expect(await page.locator('#range-mode').inputValue()).toBe(mode);
    expect(await page.locator('#range-tz option').first().textContent()).toBe('Europe/Berlin (this browser)');

    // The figures are the API's for that zone and mode; today's say "so far".
    const today = todayIn(zone);
    const { from, to } = lastDays(30, today);
    expect(to).toBe(today);
    const range = `from=${from}&to=${to}&tz=${encodeURIComponent(zone)}`;
    type Series = { timeZone: string; series: { day: string; users: number; complete: boolean }[] };
    const [dau, wau, mau, rates, retention] = await Promise.all([
      apiJson<Series>(`/api/admin/analytics/dau?${range}`),
      apiJson<Series>(`/api/admin/analytics/wau?${range}`),
      apiJson<Series>(`/api/admin/analytics/mau?${range}`),
      apiJson<{ mode: string; rates: { day: number; rate: number | null; complete: boolean }[] }>(
        `/api/admin/analytics/retention/rates?${range}&mode=${mode}`,
      ),
      apiJson<{
        timeZone: string;
        mode: string;
        cohorts: { cohort: string; rates: (number | null)[]; complete: boolean[] }[];
      }>(`/api/admin/analytics/retention?${range}&granularity=day&periods=8&mode=${mode}`),
    ]);
    expect([dau.timeZone, retention.timeZone, retention.mode, rates.mode]).toEqual([zone, zone, mode, mode]);
    const onToday = (series: Series) => series.series.find((point) => point.day === today);
    expect(onToday(dau)?.complete).toBe(false);
    expect(onToday(dau)?.users).toBeGreaterThanOrEqual(2);
    const figure = async (name: string) => ({
      value: (await page.locator(`[data-figure="${name}"]`).textContent())?.trim(),
      label: await page.locator(`.figure:has([data-figure="${name}"]) dt`).textContent(),
    });
    for (const [name, series] of [
      ['dau', dau],
      ['wau', wau],
      ['mau', mau],
    ] as const) {
      const shown = await figure(name);
      expect(Number(shown.value?.replace(/[^0-9]/g, ''))).toBe(onToday(series)?.users);
      expect(shown.label).toBe(`${name.toUpperCase()} on ${today} (so far)`);
    }
    for (const rate of rates.rates) {
      const shown = await figure(`d${rate.day}`);
      expect(shown.value).toBe(formatPercent(rate.rate));
      expect(shown.label).toBe(`Day-${rate.day} retention${rate.complete ? '' : ' (so far)'}`);
    }

    // The charts draw the API's values; today is in the dashed part, which joins the solid one.
    const chart = page.locator('#chart-active-users');
    const drawn = JSON.parse((await chart.getAttribute('data-series')) ?? '{}') as Record<string, number[]>;
    expect(drawn['DAU']).toEqual(dau.series.map((point) => point.users));
    expect(drawn['MAU']).toEqual(mau.series.map((point) => point.users));
    const incomplete = JSON.parse((await chart.getAttribute('data-incomplete')) ?? '[]') as string[];
    expect(incomplete).toEqual(dau.series.filter((point) => !point.complete).map((point) => point.day));
    expect(incomplete).toContain(today);
    const dashed = JSON.parse((await chart.getAttribute('data-dashed')) ?? '{}') as Record<
      string,
      Record<string, number>
    >;
    const yesterday = dau.series.at(-2) as { day: string; users: number; complete: boolean };
    expect(yesterday.complete).toBe(true);
    expect(dashed['DAU']).toEqual({ [yesterday.day]: yesterday.users, [today]: onToday(dau)?.users });
    for (const id of ['#chart-stickiness', '#chart-activity-mix'])
      expect(JSON.parse((await page.locator(id).getAttribute('data-incomplete')) ?? '[]')).toContain(today);

    // The retention cells not over yet are hatched, today's cohort's first among them.
    const cells = await page.locator('#retention tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        cohort: row.querySelector('th')?.textContent,
        cells: [...row.querySelectorAll('td.cell')].map((cell) => ({
          hatched: cell.classList.contains('incomplete'),
          title: cell.getAttribute('title'),
        })),
      })),
    );
    expect(cells.map((row) => row.cohort)).toEqual(retention.cohorts.map((row) => row.cohort));
    retention.cohorts.forEach((row, r) =>
      row.rates.forEach((rate, k) =>
        expect(cells[r]?.cells[k]?.hatched).toBe(rate !== null && row.complete[k] !== true),
      ),
    );
    const todays = cells.find((row) => row.cohort === today)?.cells[0];
    expect(todays?.hatched).toBe(true);
    expect(todays?.title).toMatch(/^not over yet/);
    expect(
      await page.evaluate<string>(
        `getComputedStyle(document.querySelector('#retention td.cell.incomplete')).backgroundImage`,
      ),
    ).toMatch(/repeating-linear-gradient/);
    await screenshot(page, 'analytics-zone-mode-desktop');

    // The form changes the zone and the mode, and keeps them in the URL.
    await page.locator('#range-tz').selectOption('UTC');
    await page.locator('#range-mode').selectOption('unbounded');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#definition[data-time-zone="UTC"][data-mode="unbounded"]').waitFor();
    const url = new URL(page.url());
    expect([url.searchParams.get('tz'), url.searchParams.get('mode')]).toEqual(['UTC', 'unbounded']);
    expect(await page.locator('.definition-line').textContent()).toBe(definitionLine('UTC', 'unbounded'));
  });

  it("shows My activity as sentences, grouped by day and timed in the browser's time zone", async () => {
    // UTC+14: for most of the day its date is not UTC's, so grouping by UTC would show.
    const zone = 'Pacific/Kiritimati';
    const token = await bed.token(userA);
    const page = await open(token, 'desktop', zone);
    const asked = page.waitForRequest((request) => request.url().includes('/api/users/me/activity?'));
    await page.goto(`${bed.gatewayUrl}/me`);
    expect(new URL((await asked).url()).searchParams.get('tz')).toBe(zone);
    await page.locator('.timeline li.activity').first().waitFor();
    await page.getByText(`by day in your time zone (${zone})`).waitFor();

    const api = await apiJson<{ groups: { date: string; activities: { sentence: string }[] }[] }>(
      `/api/users/me/activity?tz=${encodeURIComponent(zone)}&limit=50`,
      token,
    );
    const shown = await page.locator('.timeline section.day').evaluateAll((sections) =>
      sections.map((section) => ({
        date: section.getAttribute('data-date'),
        activities: [...section.querySelectorAll('li.activity')].map((li) => ({
          type: li.getAttribute('data-type'),
          text: li.textContent,
          sentence: li.querySelector('.sentence')?.textContent,
          at: li.querySelector('time')?.getAttribute('datetime'),
          time: li.querySelector('time')?.textContent,
        })),
      })),
    );
    // The page shows the API's sentences, in its order, under its days.
    expect(shown.map((day) => [day.date, day.activities.map((a) => a.sentence)])).toEqual(
      api.groups.map((day) => [day.date, day.activities.map((a) => a.sentence)]),
    );
    const sentences = shown.flatMap((day) => day.activities.map((a) => a.sentence));
    for (const expected of [
      'Viewed app app_a0',
      'Viewed app app_a5',
      'Started downloading app_a1 (1.2.3)',
      'Downloaded app_a2 (1.2.3)',
    ])
      expect(sentences).toContain(expected);
    const inZone = (options: Intl.DateTimeFormatOptions, locale = 'en-US') =>
      new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    const dateInZone = inZone({ year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA');
    const timeInZone = inZone({ hour: '2-digit', minute: '2-digit' });
    const spaces = (text: string | null | undefined) => text?.replace(/\s+/g, ' ');
    for (const day of shown)
      for (const activity of day.activities) {
        // No raw type names: what happened, at the local time, under the local day.
        expect(activity.text).not.toContain(activity.type);
        expect(spaces(activity.time)).toBe(spaces(timeInZone.format(new Date(activity.at as string))));
        expect(day.date).toBe(dateInZone.format(new Date(activity.at as string)));
      }
    await screenshot(page, 'my-activity-sentences-desktop');
  });

  it('lets a user delete their history, follows the erasure to completed, then shows an empty timeline', async () => {
    const token = await bed.token(eraser);
    const page = await open(token);
    await page.goto(`${bed.gatewayUrl}/me`);
    await page.locator('.timeline li.activity').first().waitFor();
    await firstContentfulPaint(page, 'my-activity');
    expect(await page.locator('.timeline li.activity').count()).toBe(5);
    expect(await page.locator('.timeline h2').first().textContent()).toBe('Today');
    await screenshot(page, 'my-activity-desktop');
    const phone = await open(token, 'phone');
    await phone.goto(`${bed.gatewayUrl}/me`);
    await phone.locator('.timeline li.activity').first().waitFor();
    await screenshot(phone, 'my-activity-phone');

    await page.getByRole('button', { name: 'Delete my activity history' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your activity history?' });
    await dialog.waitFor();
    await screenshot(page, 'my-activity-confirm-desktop');
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    const statuses = new Set<string>();
    const status = page.locator('#erasure-status');
    await waitFor(
      async () => {
        statuses.add((await status.textContent()) ?? '');
        return (await status.getAttribute('data-status')) === 'completed';
      },
      { timeoutMs: 60_000, what: 'the page to show the erasure completed' },
    );
    console.log(`erasure statuses shown: ${[...statuses].filter(Boolean).join(' | ')}`);
    await expect(status.textContent()).resolves.toMatch(/Deletion completed/);
    await page.getByText('No activity in the last 30 days.').waitFor();
    expect(await page.locator('.timeline li.activity').count()).toBe(0);
    await screenshot(page, 'my-activity-erased-desktop');
  });

  it('tells a user without the admin role that the admin pages need it', async () => {
    const token = await bed.token(userA);
    for (const [route, size] of [
      ['/activity', 'desktop'],
      ['/analytics', 'phone'],
    ] as const) {
      const page = await open(token, size);
      await page.goto(`${bed.gatewayUrl}${route}`);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/This page needs the admin role/);
      await screenshot(page, `forbidden${route.replace('/', '-')}-${size}`);
    }
    expect(pageProblems).toEqual([]);
    expect(faviconsLoaded).toBeGreaterThan(0);
  });
});
