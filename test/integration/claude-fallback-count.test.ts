// A request to a model that is not Claude, naming a Claude model to fall back to (OpenRouter's
// `models`), may be served, and billed, by Claude, whose tokenizer counts more tokens than
// o200k_base for the same text. The input was counted at the routed model's tokenizer alone, so
// the output limit Shimmy wrote left room for input Claude's count then filled: billed past the
// budget (found by red21, fixed by red22, 2026-11-30).
// Prices: at OpenRouter anthropic/claude-opus-4 $15 in / $18.75 cache write / $75 out per 1M
// (@pydantic/genai-prices 0.1.8 bundled data, read 2026-11-30; Anthropic's Opus 4 rates,
// platform.claude.com/docs/en/about-claude/pricing).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';
import { harnessOnOpenRouter, openRouterAnswer } from '../support/openrouter-route.js';

let h: Harness;
let billedUsd = 0;

/** 2,000 lines of code, 38,000 tokens of o200k_base (19 a line, counted with gpt-tokenizer).
 *  Claude's tokenizer splits code into 1.30× as many (L. Gupta, VentureBeat, 2025-05, the figure
 *  meter/token-count.ts cites): 49,400, and 10 of framing. */
const CODE = 'if (x[i] > 0) { y += f(x[i], k); }\n'.repeat(2000);
const CLAUDE_INPUT = 49_410;

// The Llama model is down: Claude Opus 4 serves, writing to the limit it was sent.
harnessOnOpenRouter(
  (started) => (h = started),
  (_, b) => {
    const output = Number(b.max_tokens);
    const cost = CLAUDE_INPUT * 15e-6 + output * 75e-6;
    billedUsd += cost;
    return openRouterAnswer({
      id: 'gen-fb',
      model: 'anthropic/claude-opus-4',
      finish_reason: 'length',
      input: CLAUDE_INPUT,
      outputTokens: output,
      cost,
    });
  },
);

it('Llama 3.1 8B falling back to Claude Opus 4 is counted with Claude’s tokenizer, on a $1.05/day budget', async () => {
  // Counted as o200k_base (38,007 with the framing), the input was reserved at 38,007 × 18.75e-6
  // = $0.71263 and the limit written was (1.05 − 0.71263) / 75e-6 ≈ 4,498 tokens: billed
  // 49,410 × 15e-6 + 4,498 × 75e-6 = 0.74115 + 0.33735 = $1.0785. Counted as Claude's (49,408),
  // 49,408 × 18.75e-6 = $0.9264 leaves ≈ 1,648 tokens: billed 0.74115 + 1,648 × 75e-6 = $0.86475.
  // (At $1 the Claude count leaves less than the 1,024-token least answer: refused.)
  const token = await h.tool('llama-to-opus', { dailyUsd: 1.05 });
  const status = await postStatus(h, '/v1/chat/completions', token, {
    model: 'openrouter/meta-llama/llama-3.1-8b-instruct',
    models: ['anthropic/claude-opus-4'],
    messages: [{ role: 'user', content: CODE }],
  });
  const figures = `status ${status}; billed $${billedUsd}, recorded $${await h.spentBy('llama-to-opus')}`;
  expect(status, figures).toBe(200);
  expect(billedUsd, figures).toBeGreaterThan(0.74115);
  expect(billedUsd, figures).toBeLessThanOrEqual(1.05);
});
