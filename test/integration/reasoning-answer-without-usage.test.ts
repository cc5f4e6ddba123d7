// A provider may end a stream without the usage chunk Shimmy asked for (an OpenAI-compatible server
// that ignores `stream_options.include_usage`, a stream that ends on an error event): Shimmy then
// prices what it saw, the input and the visible words. For a reasoning model that is a fraction
// of the bill: its thinking never shows in the stream. Ten gpt-5 answers read in full, each
// behind 1,900 tokens of thinking, went out on a $0.05/day budget and were recorded at a thousandth
// of a cent each (found by red15, 2026-11-29). Such an answer is charged what its reservation held,
// marked estimated, as one left unread is.
// Price: gpt-5 $1.25 in / $10 out per 1M tokens (openai.com/api/pricing, read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { chatChunk, harnessOnJsonProvider, postStatus, sseAnswer } from '../support/json-provider.js';

const THINKING = 1_900;
const INPUT = 8;
const MODEL = 'gpt-5-2025-08-07';

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, body) => {
    const thinking = Math.min(THINKING, ((body.max_completion_tokens as number | undefined) ?? Infinity) - 1);
    // 8 × 1.25e-6 + (1,900 + 1) × 10e-6 = $0.01902
    billedUsd += INPUT * 1.25e-6 + (thinking + 1) * 10e-6;
    // No usage chunk, whatever the request asked.
    return sseAnswer([
      chatChunk(MODEL, { role: 'assistant', content: '' }),
      chatChunk(MODEL, { content: 'Hello' }),
      chatChunk(MODEL, {}, 'stop'),
    ]);
  },
);

it('ten gpt-5 streams answered without usage, on a $0.05/day budget', async () => {
  const token = await h.tool('no-usage', { dailyUsd: 0.05 });
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) {
    statuses.push(
      await postStatus(h, '/v1/chat/completions', token, {
        model: 'gpt-5',
        stream: true,
        service_tier: 'default',
        max_completion_tokens: 2_000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    await expect.poll(async () => (await h.records('no-usage')).length).toBe(i + 1);
  }
  const spent = await h.spentBy('no-usage');
  // Before: 10 answered, billed 10 × $0.01902 = $0.19 on the $0.05 budget, recorded ~$0.0001.
  const figures = `provider billed $${billedUsd.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billedUsd, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billedUsd);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});
