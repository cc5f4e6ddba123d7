// A long-context price applies to the whole request once its input passes a threshold:
// gemini-2.5-pro $1.25 → $2.50 in, $10 → $15 out per 1M past 200,000 input tokens (the bundled
// @pydantic/genai-prices entry; ai.google.dev/gemini-api/docs/pricing#gemini-2.5-pro, read
// 2026-11-29). Shimmy counts Gemini's input with o200k_base, an estimate of Gemini's own
// tokenizer, not a bound: an estimate just under the threshold reserved at the short-context rate
// a request Gemini counts (and bills) past it.
// (Claude, the suspicion as raised: at Anthropic no Claude model has a long-context tier today —
// claude-sonnet-4-6 and claude-opus-4-6 are flat since 2026-03-13 in the catalog, and
// claude-sonnet-4-5's window ends at 200,000 — see the round-13 review report.)
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { geminiAnswer, harnessOnJsonProvider, messagesAnswer, postStatus } from '../support/json-provider.js';
import { proseOf } from '../support/prose-input.js';

let h: Harness;
/** Input tokens the provider reports for the next request. */
let providerCount = 0;

harnessOnJsonProvider(
  ['google', 'anthropic'],
  (started) => (h = started),
  (path, b) =>
    path === '/v1/messages'
      ? messagesAnswer({
          id: 'msg_x',
          stop_reason: 'max_tokens',
          model: String(b.model),
          input: providerCount,
          outputTokens: Number(b.max_tokens),
        })
      : geminiAnswer({
          text: 'ok',
          finishReason: 'MAX_TOKENS',
          model: 'gemini-2.5-pro',
          input: providerCount,
          outputTokens: Number((b.generationConfig as { maxOutputTokens?: unknown }).maxOutputTokens),
        }),
);

it('an input estimated just under 200,000 tokens that Gemini counts over it, on a $0.30/day budget', async () => {
  // Prose in parts of 100 sentences (8 kB), each counted by the tokenizer (proseOf).
  const { body, estimate } = proseOf('gemini-2.5-pro', 198_500);
  expect(estimate).toBeGreaterThan(190_000);
  expect(estimate).toBeLessThan(200_000);
  // Gemini counts 5% more than o200k_base here: just over 200,000.
  providerCount = Math.ceil(estimate * 1.05);
  expect(providerCount).toBeGreaterThan(200_000);
  // Reserved at the short-context rate: about 198,500 × 1.25e-6 + 1,000 × 10e-6 ≈ $0.258, inside
  // $0.30. Billed at the long-context rate: about 208,400 × 2.5e-6 + 1,000 × 15e-6 ≈ $0.536.
  // Reserved at the long-context rate (more than 200,000 × 2.5e-6 = $0.50), it is refused.
  const token = await h.tool('long-context', { dailyUsd: 0.3 });
  expect(await postStatus(h, '/v1beta/models/gemini-2.5-pro:generateContent', token, body)).toBe(429);
  await expect.poll(async () => (await h.records('long-context')).length).toBe(1);
  expect(await h.spentBy('long-context')).toBeLessThanOrEqual(0.3);
});

it('a tier at the end of the context window is not reserved (claude-sonnet-4-5, 200,000 both)', async () => {
  // claude-sonnet-4-5: $3 in / $15 out per 1M, $6 / $22.50 past 200,000 (the bundled catalog;
  // platform.claude.com/docs/en/about-claude/pricing, read 2026-11-29), but its context window is
  // 200,000: a longer input is refused, never billed at the tier. An input counted just under it is
  // reserved at the standard rate: about 190,000 × 3e-6 + 1,000 × 15e-6 ≈ $0.585, inside $1
  // (reserved past the tier, 200,001 × 6e-6 = $1.20, it was refused).
  const { body, estimate } = proseOf('claude-sonnet-4-5', 190_000);
  providerCount = estimate;
  expect(providerCount).toBeGreaterThan(185_000);
  const token = await h.tool('window-end', { dailyUsd: 1 });
  expect(await postStatus(h, '/v1/messages', token, body)).toBe(200);
});
