// A Claude model through OpenRouter's OpenAI-compatible API takes Anthropic's `cache_control`, its
// 1-hour TTL included, and OpenRouter bills Anthropic's rates: a 1-hour cache write at 2× the input
// price, a 5-minute one at 1.25× (openrouter.ai/docs/features/prompt-caching; platform.claude.com/
// docs/en/build-with-claude/prompt-caching#pricing; read 2026-11-29). The catalog's OpenRouter entry
// has the 5-minute rate only and the reservation asked for the 1-hour one only on Anthropic's own
// API, so such a request was reserved at 1.25× its input: admitted, and billed past the budget.
// Nor was its input counted with Claude's tokenizer, which the Anthropic route scales o200k_base's
// count for (up to 1.30× for code, meter/token-count.ts): a cached prompt of code was reserved at
// 0.77 of what it billed.
// Prices: anthropic/claude-sonnet-4.5 $3 in / $15 out per 1M, so $3.75 per 1M for a 5-minute write
// and $6 per 1M for a 1-hour one (same pages).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addOpenRouter } from '../support/openrouter-route.js';
import { chatAnswer, postStatus, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

/** 20,000 tokens of o200k_base ("hello" then 19,999 × " hello"): what Shimmy counts. OpenRouter
 *  answers with Claude's own count, which is higher (meter/token-count.ts); the provider here says
 *  20,010 (the text and the message's framing), the least it could say, so only the TTL is tested. */
const TEXT = 'hello' + ' hello'.repeat(19_999);
const INPUT = 20_010;
/** 2,000 lines of code, 38,000 tokens of o200k_base (19 a line, counted with gpt-tokenizer).
 *  Claude's tokenizer splits code into 1.30× as many (L. Gupta, VentureBeat, 2025-05, the figure
 *  meter/token-count.ts cites): 49,400, and 10 of framing. */
const CODE = 'if (x[i] > 0) { y += f(x[i], k); }\n'.repeat(2000);
const CODE_INPUT = 49_410;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    const output = Number(b.max_tokens);
    // All of it written to the cache: for an hour, 20,010 × 6e-6 + 10 × 15e-6 = $0.12021; the code
    // for 5 minutes, 49,410 × 3.75e-6 + 10 × 15e-6 = $0.1854375.
    const code = JSON.stringify(b).includes('y += f');
    const input = code ? CODE_INPUT : INPUT;
    const cost = input * (code ? 3.75e-6 : 6e-6) + output * 15e-6;
    billedUsd += cost;
    const answer = chatAnswer({
      id: 'gen-1',
      model: 'anthropic/claude-sonnet-4.5',
      finish_reason: 'length',
      input,
      outputTokens: output,
    });
    // OpenRouter's usage: the cache write among the prompt's details, and its charge in USD.
    answer.usage = {
      ...(answer.usage as object),
      cost,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: input },
    };
    return answer;
  });
  await addOpenRouter(h, provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

/** One request of `text` in a cache_control block to a tool with `dailyUsd`: what the provider
 *  billed for it, what Shimmy recorded, and the answer's status. */
async function askOnce(tool: string, dailyUsd: number, text: string, ttl?: '1h') {
  const token = await h.tool(tool, { dailyUsd });
  const before = billedUsd;
  const status = await postStatus(h, '/v1/chat/completions', token, {
    model: 'openrouter/anthropic/claude-sonnet-4.5',
    max_tokens: 10,
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text, cache_control: { type: 'ephemeral', ...(ttl ? { ttl } : {}) } }],
      },
    ],
  });
  const billed = billedUsd - before;
  const figures = `status ${status}; provider billed $${billed} on $${dailyUsd}, Shimmy recorded $${await h.spentBy(tool)}`;
  return { status, billed, figures };
}

it('a 1-hour cache write on a $0.10/day budget', async () => {
  // Reserved at a 5-minute write: about 20,010 × 3.75e-6 + 10 × 15e-6 = $0.07519, which fits $0.10;
  // billed $0.12021. At the 1-hour rate, 20,010 × 6e-6 = $0.12006 of input alone does not fit.
  const { status, billed, figures } = await askOnce('or-1h', 0.1, TEXT, '1h');
  expect(billed, figures).toBe(0);
  expect(status).toBe(429);
});

it("a cached prompt of code counted with Claude's tokenizer, on a $0.16/day budget", async () => {
  // Counted as o200k_base, 38,006 tokens at the 5-minute write rate: 38,006 × 3.75e-6 + 10 × 15e-6
  // = $0.1426725, which fits $0.16; billed $0.1854375. Counted at Claude's 1.30, 49,406 × 3.75e-6 =
  // $0.1852725 of input alone does not fit.
  const { status, billed, figures } = await askOnce('or-code', 0.16, CODE);
  expect(billed, figures).toBe(0);
  expect(status).toBe(429);
});
