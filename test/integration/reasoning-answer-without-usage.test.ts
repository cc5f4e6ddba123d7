// A provider may end a stream without the usage chunk Shimmy asked for (an OpenAI-compatible server
// that ignores `stream_options.include_usage`, a stream that ends on an error event): Shimmy then
// prices what it saw, the input and the visible words. For a reasoning model that is a fraction
// of the bill: its thinking never shows in the stream. Ten gpt-5 answers read in full, each
// behind 1,900 tokens of thinking, went out on a $0.05/day budget and were recorded at a thousandth
// of a cent each (found by red15, 2026-11-29). Such an answer is charged what its reservation held,
// marked estimated, as one left unread is.
// Price: gpt-5 $1.25 in / $10 out per 1M tokens (openai.com/api/pricing, read 2026-11-29).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const THINKING = 1_900;
const INPUT = 8;

let h: Harness;
let provider: http.Server;
let billedUsd = 0;

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { max_completion_tokens?: number };
      const thinking = Math.min(THINKING, (body.max_completion_tokens ?? Infinity) - 1);
      // 8 × 1.25e-6 + (1,900 + 1) × 10e-6 = $0.01902
      billedUsd += INPUT * 1.25e-6 + (thinking + 1) * 10e-6;
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
        `data: ${JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'gpt-5-2025-08-07',
          choices: [{ index: 0, delta, finish_reason: finish }],
        })}\n\n`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: '' }));
      res.write(chunk({ content: 'Hello' }));
      res.write(chunk({}, 'stop'));
      // No usage chunk, whatever the request asked.
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  h = await startHarness();
  await h.point('openai', `http://127.0.0.1:${(provider.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

it('ten gpt-5 streams answered without usage, on a $0.05/day budget', async () => {
  const token = await h.tool('no-usage', { dailyUsd: 0.05 });
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-5',
        stream: true,
        service_tier: 'default',
        max_completion_tokens: 2_000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    await res.text();
    statuses.push(res.status);
    await expect
      .poll(async () => (await h.admin.call('listRequests', { query: { tool: 'no-usage' } })).records.length)
      .toBe(i + 1);
  }
  const spent = await h.spentBy('no-usage');
  // Before: 10 answered, billed 10 × $0.01902 = $0.19 on the $0.05 budget, recorded ~$0.0001.
  const figures = `provider billed $${billedUsd.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billedUsd, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billedUsd);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});
