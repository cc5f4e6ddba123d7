// Ten dashboard tabs in one browser profile, all live. A browser gives a host six connections: when
// each tab held its own event stream, the seventh tab never even loaded. The tabs now share one
// stream (a leader tab holds it, the others hear it over a BroadcastChannel), so every tab loads and
// shows a new request's spend, pushed, without reloading; closing the leader hands the stream on.
import OpenAI from 'openai';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminClient } from '../../main/cli/admin-client.js';
import type { ServeProcess } from '../support/cli-process.js';
import { watchPage, type PageWatch } from './chromium.js';
import { startServeRig, type ServeRig } from './serve-rig.js';

const TABS = 10;
const WAIT = { timeout: 20_000, interval: 100 };

let rig: ServeRig | undefined;
let serve: ServeProcess;
let admin: AdminClient;
let context: BrowserContext;
let token: string;
const pages: Page[] = [];
const watches: PageWatch[] = [];

const ask = () =>
  new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: token, maxRetries: 0 }).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello' }],
    max_tokens: 16,
  });
const todayTile = (p: Page) => p.getByTestId('spend-today').locator('.tile-value').textContent();

beforeAll(async () => {
  rig = await startServeRig('tabs');
  ({ serve, admin } = rig);
  // gpt-4o-mini at $0.15 / $0.60 per 1M tokens (openai.com/api/pricing, 2026-11):
  // 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045 a request.
  rig.upstream.usage = { prompt: 1000, completion: 500 };
  token = (await admin.call('createTool', { body: { name: 'tabs', limits: {} } })).token;
  context = await rig.browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
}, 90_000);

afterAll(() => rig?.close(), 60_000);

describe('ten dashboard tabs in one browser', () => {
  it('all load and connect', async () => {
    const { url } = await admin.call('createLoginLink');
    const first = await context.newPage();
    await first.goto(url);
    pages.push(first);
    for (let i = 1; i < TABS; i++) {
      const p = await context.newPage();
      await p.goto(`${serve.url}/`);
      pages.push(p);
    }
    for (const p of pages) watches.push(watchPage(p, serve.url));
    for (const [i, p] of pages.entries()) {
      await p.getByTestId('page-overview').waitFor({ timeout: WAIT.timeout });
      await expect.poll(() => todayTile(p), WAIT).toBe('$0.00');
      await expect.poll(() => p.getByTestId('connection').getAttribute('class'), WAIT).toContain('conn-open');
      expect(i).toBeLessThan(TABS);
    }
  });

  it("all show a new request's spend live, without reloading", async () => {
    await ask();
    for (const p of pages) await expect.poll(() => todayTile(p), WAIT).toBe('$0.00045');
  });

  it('stay live when the tab holding the stream closes', async () => {
    // The first tab took the lock first: it is the leader.
    await pages.shift()!.close();
    watches.shift();
    await ask();
    for (const p of pages) await expect.poll(() => todayTile(p), WAIT).toBe('$0.0009');
  });

  it('logged no errors', () => {
    expect(watches.flatMap((w) => [...w.errors, ...w.foreignRequests])).toEqual([]);
  });
});
