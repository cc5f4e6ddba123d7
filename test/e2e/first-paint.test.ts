// What the dashboard's first paint waits for, in a real Chromium against `shimmy serve`. The tiles
// and tool cards come from the overview (in-memory roll-ups); the plan windows and the 30-day chart
// are ledger queries that took 0.3–0.6 s at 1M records on a busy machine, on the same query thread
// as the request list's first page. So the page asks for the overview and that first page at once,
// and for the plan windows and the chart only after the overview has answered. Here the overview's
// answer is held back: nothing else may be asked for meanwhile; released, the rest follows. The
// overview and that first page are preloaded by index.html, so they are on their way while the
// app's script loads (held back here), and the client's calls take those answers up.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../main/cli/admin-client.js';
import type { ServeProcess } from '../support/cli-process.js';
import { watchPage, type PageWatch } from './chromium.js';
import { startServeRig, type ServeRig } from './serve-rig.js';

const WAIT = { timeout: 20_000, interval: 100 };

let rig: ServeRig | undefined;
let serve: ServeProcess;
let admin: AdminClient;
let browser: Browser;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  rig = await startServeRig('first-paint');
  ({ serve, admin, browser } = rig);
  await admin.call('createTool', { body: { name: 'painter', limits: { dailyUsd: 5 } } });
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
  page = await context.newPage();
  watch = watchPage(page, serve.url);
}, 90_000);

afterAll(() => rig?.close(), 60_000);

describe("the dashboard's first paint", () => {
  it('asks for the overview and the first page of requests first, the plans and the chart after the overview answers', async () => {
    const asked: string[] = [];
    page.on('request', (req) => {
      const { pathname } = new URL(req.url());
      if (pathname.startsWith('/api/') && pathname !== '/api/events') asked.push(pathname);
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let overviewHeld = false;
    await page.route('**/api/overview', async (route) => {
      overviewHeld = true;
      await held;
      await route.continue();
    });
    const firstPage = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/requests');
    const { url } = await admin.call('createLoginLink');
    await page.goto(url);
    await page.getByTestId('page-overview').waitFor({ timeout: WAIT.timeout });
    // The page has mounted and the request list's first page has answered, the overview not yet.
    await firstPage;
    expect(overviewHeld).toBe(true);
    expect(asked).toContain('/api/overview');
    expect(asked).not.toContain('/api/plans');
    expect(asked).not.toContain('/api/spend/daily');

    release();
    await expect
      .poll(() => page.getByTestId('spend-today').locator('.tile-value').textContent(), WAIT)
      .toBe('$0.00');
    await page.getByTestId('tool-card-painter').waitFor({ timeout: WAIT.timeout });
    await page.getByTestId('chart-empty').waitFor({ timeout: WAIT.timeout });
    expect(asked).toContain('/api/plans');
    expect(asked.filter((p) => p === '/api/spend/daily')).toHaveLength(1);
    expect(asked.filter((p) => p === '/api/overview')).toHaveLength(1);
  });

  it('asks for the overview and the first page of requests while its script is still loading, once each', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
    const fresh = await context.newPage();
    const freshWatch = watchPage(fresh, serve.url);
    const asked: string[] = [];
    fresh.on('request', (req) => {
      const { pathname, search } = new URL(req.url());
      if (pathname.startsWith('/api/') && pathname !== '/api/events') asked.push(pathname + search);
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await fresh.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    const { url } = await admin.call('createLoginLink');
    await fresh.goto(url, { waitUntil: 'commit' });
    // The app's script is held back: only index.html's preloads can ask anything.
    await expect.poll(() => [...asked].sort(), WAIT).toEqual(['/api/overview', '/api/requests?limit=50']);
    release();
    await fresh.getByTestId('tool-card-painter').waitFor({ timeout: WAIT.timeout });
    await fresh.getByTestId('chart-empty').waitFor({ timeout: WAIT.timeout });
    // The client's calls took the preloads up: no second request for either.
    expect(asked.filter((p) => p === '/api/overview')).toHaveLength(1);
    expect(asked.filter((p) => p === '/api/requests?limit=50')).toHaveLength(1);
    expect([...freshWatch.errors, ...freshWatch.foreignRequests]).toEqual([]);
    await context.close();
  });

  it('logged no errors', () => {
    expect([...watch.errors, ...watch.foreignRequests]).toEqual([]);
  });
});
