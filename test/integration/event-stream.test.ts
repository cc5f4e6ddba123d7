// What open dashboards receive: the `spend` event carries the whole overview and today's chart
// column (so a dashboard never refetches on a request), and events reach every dashboard in batches.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpendEvent } from '../../shared/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { readEvents, type SseReader } from '../support/sse-reader.js';

let h: Harness;
const readers: SseReader[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const r of readers) r.close();
  await h.close();
});

const open = async (query = '') => {
  const r = await readEvents(`${h.core.url}/api/events${query}`, h.core.adminSecret);
  readers.push(r);
  return r;
};
const ask = (token: string) =>
  new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 }).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'a' }],
  });
const lastSpend = (r: SseReader) => r.events.filter((e): e is SpendEvent => e.type === 'spend').at(-1);
const POLL = { timeout: 10_000, interval: 50 };

describe('the admin event stream', () => {
  it("pushes the overview and today's spend per tool and model after requests settle", async () => {
    const token = await h.tool('pushed', { dailyUsd: 1 });
    const dash = await open();
    h.upstream.usage = { prompt: 1000, completion: 500 };
    // gpt-4o-mini at $0.15 in / $0.60 out per 1M tokens (openai.com/api/pricing, 2026-11):
    // 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045 a request; 8 requests = $0.0036.
    await Promise.all(Array.from({ length: 8 }, () => ask(token)));
    await expect.poll(() => lastSpend(dash)?.overview?.todayUsd, POLL).toBeCloseTo(0.0036, 12);
    const spend = lastSpend(dash)!;
    const tool = spend.overview!.tools.find((t) => t.name === 'pushed')!;
    expect(tool.todayUsd).toBeCloseTo(0.0036, 12);
    expect(tool.day).toEqual({ limitUsd: 1, spentUsd: tool.todayUsd });
    expect(spend.todaySpend?.day).toBe(spend.overview!.today);
    expect(spend.todaySpend?.byTool.pushed).toBeCloseTo(0.0036, 12);
    expect(spend.todaySpend?.byModel['gpt-4o-mini']).toBeCloseTo(0.0036, 12);
    // It is what GET /api/overview answers at the same moment.
    expect(await h.admin.call('overview')).toMatchObject({
      todayUsd: spend.overview!.todayUsd,
      tools: spend.overview!.tools,
    });
  });

  it('pushes a new overview when config changes (a tool paused), without a request', async () => {
    const dash = await open();
    await h.admin.call('patchTool', { params: { name: 'pushed' }, body: { paused: true } });
    await expect
      .poll(() => lastSpend(dash)?.overview?.tools.find((t) => t.name === 'pushed')?.paused, POLL)
      .toBe(true);
    await h.admin.call('patchTool', { params: { name: 'pushed' }, body: { paused: false } });
  });

  it('sends every dashboard the same events, several to a network write', async () => {
    const token = await h.tool('batched');
    const dashes = [await open(), await open(), await open()];
    const before = dashes.map((d) => d.reads);
    // One request after another: each makes a request.start and, a few ms later, a request.end.
    for (let i = 0; i < 10; i++) await ask(token);
    const ends = (r: SseReader) =>
      r.events.filter((e) => e.type === 'request.end' && e.record.tool === 'batched').length;
    for (const d of dashes) await expect.poll(() => ends(d), POLL).toBe(10);
    // Written as they happen, 20 events take about 20 reads; batched, at most one per request.
    dashes.forEach((d, i) => expect(d.reads - before[i]!).toBeLessThanOrEqual(10));
  });

  it('with ?batch=1 sends each flush as one message holding an array of events', async () => {
    const token = await h.tool('arrays');
    const [plain, batched] = [await open(), await open('?batch=1')];
    const before = { plain: plain.messages, batched: batched.messages };
    // Eight requests at once: their 16 events fall into a few flushes.
    await Promise.all(Array.from({ length: 8 }, () => ask(token)));
    const ends = (r: SseReader) =>
      r.events.filter((e) => e.type === 'request.end' && e.record.tool === 'arrays').length;
    for (const d of [plain, batched]) await expect.poll(() => ends(d), POLL).toBe(8);
    const mine = (r: SseReader) =>
      r.events.filter(
        (e) =>
          (e.type === 'request.end' && e.record.tool === 'arrays') ||
          (e.type === 'request.start' && e.tool === 'arrays'),
      );
    // The same events in the same order either way; the plain stream one message per event.
    expect(mine(batched)).toEqual(mine(plain));
    expect(plain.arrays).toBe(0);
    expect(plain.messages - before.plain).toBeGreaterThanOrEqual(16);
    expect(batched.arrays).toBe(batched.messages);
    expect(batched.messages - before.batched).toBeLessThan(16);
  });
});
