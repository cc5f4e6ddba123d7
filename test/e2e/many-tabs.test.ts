// Ten dashboard tabs in one browser profile, all live. A browser gives a host six connections: when
// each tab held its own event stream, the seventh tab never even loaded. The tabs now share one
// stream (a leader tab holds it, the others hear it over a BroadcastChannel), so every tab loads and
// shows a new request's spend, pushed, without reloading; closing the leader hands the stream on.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import { cliEnv, freePort, startServe, type ServeProcess } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { launchChromium, watchPage, type PageWatch } from './chromium.js';

const TABS = 10;
const WAIT = { timeout: 20_000, interval: 100 };

let upstream: FakeUpstream;
let serve: ServeProcess;
let admin: AdminClient;
let dataDir: string;
let browser: Browser | undefined;
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
  upstream = await startFakeUpstream();
  // gpt-4o-mini at $0.15 / $0.60 per 1M tokens (openai.com/api/pricing, 2026-11):
  // 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045 a request.
  upstream.usage = { prompt: 1000, completion: 500 };
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-e2e-tabs-'));
  await writePointedConfig(dataDir, upstream.url);
  const { env } = cliEnv();
  env.SHIMMY_KEY_OPENAI = 'sk-e2e-tabs-0000';
  const launching = launchChromium();
  serve = await startServe({ port: await freePort(), dataDir, env });
  admin = await connectAdmin(dataDir);
  token = (await admin.call('createTool', { body: { name: 'tabs', limits: {} } })).token;
  browser = await launching;
  context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await serve?.stop();
  await upstream?.close();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

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
