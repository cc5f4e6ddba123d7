// The dashboard end to end in a real Chromium, against the real `shimmy serve` in front of a loopback
// upstream: log in through the printed link, create a tool in the form, watch requests sent with the
// official openai client appear live with their cost, the budget bar go amber then red, the 429,
// the pause and its 403; plus screenshots of every page for people to look at.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { readInstanceFile } from '../../main/core/instance-file.js';
import { loadKeytar, type Keychain } from '../../main/core/vault/vault.js';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { launchChromium, watchPage, type PageWatch } from './chromium.js';
import { rawGet } from './raw-http.js';
import { screenshotAllPages } from './screenshots.js';

const SCREENSHOT_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../test-artifacts/screenshots',
);
const OPENAI_KEY = `sk-e2e-${randomBytes(8).toString('hex')}-wxyz`;
const TOOL = 'e2e-bot';
// gpt-4o-mini at $0.15 / $0.60 per 1M tokens: 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045 a request.
// A $0.001 daily budget: 1 request = 45% (ok), 2 = 90% (warn), 3 = 135% (over, and the 4th is refused).
// Each request asks for max_tokens 16, so its worst case (~$0.00001) still fits after two.
const USAGE = { prompt: 1000, completion: 500 };
const DAILY_USD = '0.001';
const WAIT = { timeout: 15_000, interval: 100 };

let upstream: FakeUpstream;
let serve: ServeProcess;
let env: NodeJS.ProcessEnv;
let keychainService: string;
let keychain: Keychain | null = null;
let dataDir: string;
let loginUrl: string;
let browser: Browser | undefined;
let page: Page;
let watch: PageWatch;
let toolToken: string;

const shimmy = (args: string[], input?: string) =>
  runCli([...args, '--data-dir', dataDir], { env, ...(input !== undefined ? { input } : {}) });

/** Waits for the "Dashboard (one-time login link)" line: serve prints it with its listening line. */
async function printedLoginUrl(): Promise<string> {
  return vi.waitFor(() => {
    const m = /one-time login link\): (http:\/\/\S+)/.exec(serve.stderr());
    if (!m) throw new Error(`no login link printed yet:\n${serve.stderr()}`);
    return m[1]!;
  }, WAIT);
}

const client = () => new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: toolToken, maxRetries: 0 });
const request = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  max_tokens: 16,
};
const ask = () => client().chat.completions.create(request);
const askStreaming = () =>
  client().chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });

const refusal = (body: string) => (JSON.parse(body) as { error: { message: string } }).error.message;
const budgetBar = () => page.getByTestId(`budget-bar-${TOOL}-day`);
const goTo = async (name: string) => {
  await page.getByTestId(`nav-${name}`).click();
  await page.getByTestId(`page-${name}`).waitFor();
};

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.usage = { ...USAGE };
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-e2e-'));
  ({ env } = cliEnv());
  keychainService = `ShimmyE2E-${randomBytes(6).toString('hex')}`;
  env.SHIMMY_KEYCHAIN_SERVICE = keychainService;
  env.SHIMMY_PRICE_REFRESH = 'off';
  keychain = await loadKeytar();
  // Browser start-up overlaps the server's: both take seconds on a busy machine.
  const launching = launchChromium();
  serve = await startServe({ port: await freePort(), dataDir, env });
  loginUrl = await printedLoginUrl();
  const admin = await connectAdmin(dataDir);
  await admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${upstream.url}/v1` } });
  const keySet = await shimmy(['key', 'set', 'openai'], `${OPENAI_KEY}\n`);
  expect(keySet.code, keySet.stderr).toBe(0);
  browser = await launching;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  watch = watchPage(page, serve.url);
  await fs.rm(SCREENSHOT_DIR, { recursive: true, force: true });
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (dataDir && serve) await shimmy(['key', 'remove', 'openai']).catch(() => undefined);
  await serve?.stop();
  // In case serve never came up or the CLI removal failed: the keychain must not keep test keys.
  await keychain?.deletePassword(keychainService, 'openai').catch(() => undefined);
  await upstream?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the dashboard in Chromium against shimmy serve', () => {
  it('logs in through the printed one-time link and lands on the overview', async () => {
    expect(loginUrl).toMatch(new RegExp(`^${serve.url}/login\\?token=[\\w-]{20,}$`));
    await page.goto(loginUrl);
    expect(page.url()).toBe(`${serve.url}/`);
    await page.getByTestId('page-overview').waitFor();
    await page.getByTestId('overview-empty').waitFor();
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('class'), WAIT)
      .toContain('conn-open');
    // The link was spent: a second use gets no session.
    const again = await fetch(loginUrl, { redirect: 'manual' });
    expect(again.status).toBe(401);
    await screenshotAllPages(page, SCREENSHOT_DIR, 'empty');
  });

  it('creates a tool with a daily budget through the form and shows its token once', async () => {
    await goTo('tools');
    await page.getByTestId('create-tool-name').fill(TOOL);
    await page.getByTestId('create-tool-dailyUsd').fill(DAILY_USD);
    await page.getByTestId('create-tool-submit').click();
    toolToken = (await page.getByTestId('created-token').textContent())?.trim() ?? '';
    expect(toolToken).toMatch(/^shm_[\w-]{32}$/);
    await expect.poll(() => page.getByTestId(`limits-${TOOL}`).textContent(), WAIT).toBe('$0.001/day');
    await expect
      .poll(() => page.getByTestId('setup-env').textContent(), WAIT)
      .toContain(`OPENAI_API_KEY=${toolToken}`);
    // The reveal lives only until the user leaves the page: capture it for review now.
    await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'token-reveal-full-light.png'), fullPage: true });
    await page.setViewportSize({ width: 400, height: 600 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'token-reveal-tray-light.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(400);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows requests from the official openai client live, with their cost', async () => {
    await goTo('live');
    await page.getByTestId('live-empty').waitFor();
    const stream = await askStreaming();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello from the fake upstream!');
    // The upstream saw the real key from the keychain, never the tool token.
    expect(upstream.received.at(-1)?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);

    const row = page.getByTestId('live-row');
    await expect.poll(() => row.count(), WAIT).toBe(1);
    await expect.poll(() => row.getAttribute('data-state'), WAIT).toBe('done');
    expect(await row.getByTestId('live-tool').textContent()).toBe(TOOL);
    expect(await row.getByTestId('live-model').textContent()).toBe('gpt-4o-mini');
    expect(await row.getByTestId('live-cost').textContent()).toBe('$0.00045');
    expect(await row.getByTestId('live-tokens').textContent()).toBe('1,000 → 500');
    expect(await row.getByTestId('live-status-cell').textContent()).toBe('200');
  });

  it('moves the budget bar from ok to warn to over, then refuses with 429 budget_exceeded', async () => {
    await goTo('overview');
    await expect.poll(() => budgetBar().getAttribute('data-level'), WAIT).toBe('ok');
    expect(await budgetBar().locator('.usage-nums').textContent()).toBe('$0.00045 / $0.001');

    // The page stays open: the bar follows the live event stream, no reload.
    await ask();
    await expect.poll(() => budgetBar().getAttribute('data-level'), WAIT).toBe('warn');
    expect(await budgetBar().locator('.usage-nums').textContent()).toBe('$0.0009 / $0.001');
    expect(await budgetBar().getByRole('meter').getAttribute('aria-valuenow')).toBe('0.0009');

    await ask();
    await expect.poll(() => budgetBar().getAttribute('data-level'), WAIT).toBe('over');
    expect(await budgetBar().locator('.usage-nums').textContent()).toBe('$0.00135 / $0.001');
    await expect
      .poll(() => page.getByTestId('spend-today').locator('.tile-value').textContent(), WAIT)
      .toBe('$0.00135');
    // Today's spend is drawn in the 30-day chart too.
    await expect
      .poll(() => page.getByTestId('spend-chart').locator('.recharts-bar-rectangle').count(), WAIT)
      .toBe(1);
    const fill = budgetBar().locator('.usage-fill');
    expect(await fill.getAttribute('class')).toContain('level-over');
    expect(await fill.evaluate((el) => (el as HTMLElement).style.width)).toBe('100%');

    const refused = await ask().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 429, code: 'budget_exceeded', type: 'insufficient_quota' });
    // Three answered requests reached the upstream; the refused one did not.
    expect(upstream.received.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3);
  });

  it('pausing the tool from the Tools page refuses the next request with 403', async () => {
    await goTo('tools');
    const pause = page.getByTestId(`pause-${TOOL}`);
    expect(await pause.textContent()).toBe('Pause');
    await pause.click();
    await expect.poll(() => pause.getAttribute('aria-pressed'), WAIT).toBe('true');
    expect(await pause.textContent()).toBe('Resume');

    const refused = await ask().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ status: 403, code: 'tool_paused' });
    expect(upstream.received.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(3);

    await goTo('overview');
    await expect
      .poll(() => page.getByTestId(`tool-card-${TOOL}`).locator('.badge').textContent(), WAIT)
      .toBe('paused');
    // Refusals cost nothing: today's total is still the three answered requests.
    expect(await page.getByTestId('spend-today').locator('.tile-value').textContent()).toBe('$0.00135');

    // Both refusals are on the Live page too, newest first, at no cost.
    await goTo('live');
    const rows = page.getByTestId('live-row');
    await expect
      .poll(() => rows.getByTestId('live-status-cell').allTextContents(), WAIT)
      .toEqual(['403', '429', '200', '200', '200']);
    expect(await rows.getByTestId('live-cost').allTextContents()).toEqual([
      '$0.00',
      '$0.00',
      '$0.00045',
      '$0.00045',
      '$0.00045',
    ]);
  });

  it('the admin API refuses a foreign Origin or a non-loopback Host, even with the admin secret', async () => {
    const info = await readInstanceFile(dataDir);
    const auth = { authorization: `Bearer ${info!.secret}` };
    const url = `${serve.url}/api/overview`;
    const host = new URL(serve.url).host;
    expect((await rawGet(url, { ...auth, host })).status).toBe(200);
    expect((await rawGet(url, { ...auth, host, origin: `http://${host}` })).status).toBe(200);

    const foreignOrigin = await rawGet(url, { ...auth, host, origin: 'https://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    expect(refusal(foreignOrigin.body)).toBe('Refused: Origin "https://evil.example" is not this dashboard');
    const rebound = await rawGet(url, { ...auth, host: `evil.example:${new URL(serve.url).port}` });
    expect(rebound.status).toBe(403);
    expect(refusal(rebound.body)).toBe(
      `Refused: Host "evil.example:${new URL(serve.url).port}" is not this machine (loopback only)`,
    );
  });

  it('screenshots every page at tray and full size, light and dark', async () => {
    const shots = await screenshotAllPages(page, SCREENSHOT_DIR, 'used');
    expect(shots).toHaveLength(6 * 2 * 2);
    for (const s of shots) expect((await fs.stat(s.file)).size).toBeGreaterThan(5_000);
    // Nothing scrolls sideways in the 400 px tray window.
    expect(
      shots.filter((s) => s.overflowPx > 0).map((s) => `${path.basename(s.file)}: +${s.overflowPx}px`),
    ).toEqual([]);
  });

  it('the page logged no errors and requested nothing outside the local instance', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
