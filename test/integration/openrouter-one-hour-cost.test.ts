// OpenRouter's usage reports a Claude model's cache writes as one count
// (`prompt_tokens_details.cache_write_tokens`), with no 5-minute / 1-hour split; its charge is in
// `usage.cost`, but an answer may come without it (a provider behind the route that reports no
// charge of its own, a gateway that strips it). Then Shimmy prices the usage itself, and it priced
// every write at the 5-minute rate (1.25× input) where the request asked for the 1-hour TTL, billed
// 2× (platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing; OpenRouter bills
// Anthropic's own rates, openrouter.ai/docs/features/prompt-caching; read 2026-11-29).
// Price: anthropic/claude-sonnet-4.5 $3 in / $15 out per 1M, so $6 per 1M for a 1-hour write.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addOpenRouter } from '../support/openrouter-route.js';
import { chatAnswer, postStatus, startJsonProvider, type JsonProvider } from '../support/json-provider.js';
import { onlyRecordedCost } from '../support/recorded-cost.js';

let h: Harness;
let provider: JsonProvider;

/** 20,000 tokens of o200k_base; the provider says 20,010 (the text and the message's framing). */
const TEXT = 'hello' + ' hello'.repeat(19_999);
const INPUT = 20_010;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    const answer = chatAnswer({
      id: 'gen-1',
      model: 'anthropic/claude-sonnet-4.5',
      finish_reason: 'length',
      input: INPUT,
      outputTokens: Number(b.max_tokens),
    });
    // All of the prompt written to the cache, and no `cost`.
    answer.usage = {
      ...(answer.usage as object),
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: INPUT },
    };
    return answer;
  });
  await addOpenRouter(h, provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('a 1-hour cache write answered without usage.cost is recorded at the 1-hour rate', async () => {
  const token = await h.tool('or-1h-nocost');
  const status = await postStatus(h, '/v1/chat/completions', token, {
    model: 'openrouter/anthropic/claude-sonnet-4.5',
    max_tokens: 10,
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: TEXT, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      },
    ],
  });
  expect(status).toBe(200);
  // Billed 20,010 × 6e-6 + 10 × 15e-6 = $0.12021 (at the 5-minute rate it was recorded as
  // 20,010 × 3.75e-6 + 10 × 15e-6 = $0.0751875).
  expect(await onlyRecordedCost(h, 'or-1h-nocost')).toBeCloseTo(0.12021, 9);
});
