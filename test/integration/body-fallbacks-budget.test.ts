// A request body may name its own fallback models, past Shimmy's routing, and the provider serves
// (and bills) the request there:
// - Anthropic's server-side fallback (beta `server-side-fallback-2026-07-01`; @anthropic-ai/sdk
//   1.13.0 `BetaFallbacksParam`): when the requested model declines, each `fallbacks` entry's model
//   runs in turn, with the entry's own `max_tokens` if it names one; every hop that ran is in the
//   answer's `usage.iterations` (`message` for a declined hop, `fallback_message` for the one that
//   served), each billed.
// - OpenRouter's `models`: any error of the first model (an outage, a context length) moves the
//   request to the next, "priced using the model that was ultimately used"
//   (openrouter.ai/docs/guides/routing/model-fallbacks, read 2026-11-29).
// Shimmy reserved such a request at the routed model alone and lowered only the top-level limit.
// Found by red21 (2026-11-29).
// Prices (catalog @pydantic/genai-prices, matching the providers' pages read 2026-11-29):
// claude-haiku-4-5 $1 in / $5 out per 1M, claude-opus-4-1 $15 / $75 (platform.claude.com/docs/en/
// about-claude/pricing); at OpenRouter meta-llama/llama-3.1-8b-instruct $0.02 / $0.03,
// anthropic/claude-opus-4 $15 / $75 (openrouter.ai/models). Claude Opus 4 / 4.1 write at most
// 32,000 tokens (platform.claude.com/docs/en/about-claude/models/overview).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addOpenRouter } from '../support/openrouter-route.js';
import { chatAnswer, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

/** Input tokens of the one-word prompt: o200k_base's count of the message, the least a provider
 *  could say, so only the fallback is tested. */
const INPUT = 8;
/** What the declining hop writes before it declines. */
const DECLINED_OUTPUT = 10;
const OPUS_MAX_OUTPUT = 32_000;

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((path, b) => {
    if (path.startsWith('/v1/messages')) {
      // Haiku declines; the first entry's model serves with its own max_tokens, else the request's.
      const entry = (b.fallbacks as Array<{ model: string; max_tokens?: number }>)[0]!;
      const output = entry.max_tokens ?? Number(b.max_tokens);
      billedUsd += INPUT * 1e-6 + DECLINED_OUTPUT * 5e-6 + INPUT * 15e-6 + output * 75e-6;
      return {
        id: 'msg_fb',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-1-20250805',
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'max_tokens',
        // How the top level sums a fallback turn's hops is not documented: here it holds both.
        usage: {
          input_tokens: 2 * INPUT,
          output_tokens: DECLINED_OUTPUT + output,
          iterations: [
            { type: 'message', input_tokens: INPUT, output_tokens: DECLINED_OUTPUT },
            { type: 'fallback_message', model: entry.model, input_tokens: INPUT, output_tokens: output },
          ],
        },
      };
    }
    // OpenRouter: the first model is down, `models[0]` serves, to its maximum if nothing is named.
    const output = Number(b.max_tokens ?? OPUS_MAX_OUTPUT);
    const cost = INPUT * 15e-6 + output * 75e-6;
    billedUsd += cost;
    const answer = chatAnswer({
      id: 'gen-fb',
      model: (b.models as string[])[0]!,
      finish_reason: 'length',
      input: INPUT,
      outputTokens: output,
    });
    answer.usage = { ...(answer.usage as object), cost };
    return answer;
  });
  await h.point('anthropic', provider.url);
  await addOpenRouter(h, provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

/** Sends `send(token)` for a new tool with `dailyUsd`: what the provider billed, what Shimmy
 *  recorded, and both with the budget for a failure's message. */
async function spend(tool: string, dailyUsd: number, send: (token: string) => Promise<unknown>) {
  const token = await h.tool(tool, { dailyUsd });
  const before = billedUsd;
  await send(token).catch(() => undefined);
  const billed = billedUsd - before;
  const recorded = await h.spentBy(tool);
  return {
    billed,
    recorded,
    figures: `budget $${dailyUsd}, provider billed $${billed}, Shimmy recorded $${recorded}`,
  };
}

it("Anthropic server-side fallbacks from Haiku to Opus 4.1 with the entry's own max_tokens, on a $0.20/day budget", async () => {
  // Reserved at Haiku alone, 8 × 1e-6 + 4,096 × 5e-6 ≈ $0.0205: fits, nothing lowered, and the
  // entry's 32,000 went on. Billed 8 × 1e-6 + 10 × 5e-6 + 8 × 15e-6 + 32,000 × 75e-6 = $2.400178.
  // Both hops at one limit L: ~8 × 16e-6 + L × 80e-6 ≤ $0.20 gives L ≈ 2,498 for each, billed
  // at most 8 × 16e-6 + 10 × 5e-6 + 2,498 × 75e-6 ≈ $0.1875. Recorded at the routed Haiku's price,
  // that answer counted $0.0126 against the budget: the next requests would have been admitted on it.
  const { billed, recorded, figures } = await spend('fb-anthropic', 0.2, (token) =>
    new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 }).beta.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      betas: ['server-side-fallback-2026-07-01'],
      fallbacks: [{ model: 'claude-opus-4-1', max_tokens: OPUS_MAX_OUTPUT }],
      messages: [{ role: 'user', content: 'hi' }],
    }),
  );
  expect(billed, figures).toBeGreaterThan(0);
  expect(billed, figures).toBeLessThanOrEqual(0.2);
  expect(recorded, figures).toBeGreaterThanOrEqual(billed);
});

it('OpenRouter `models` from Llama 3.1 8B to Claude Opus 4, no max_tokens, on a $0.20/day budget', async () => {
  // Reserved at Llama alone (its maximum unknown: nothing written), 8 × 0.02e-6 + 128,000 × 0.03e-6
  // ≈ $0.0038; Opus wrote its 32,000: billed 8 × 15e-6 + 32,000 × 75e-6 = $2.40012. At Opus, the
  // limit written is L ≈ (0.20 − 8 × 15e-6) / 75e-6 ≈ 2,665.
  const { billed, figures } = await spend('fb-openrouter', 0.2, (token) =>
    new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 }).chat.completions.create({
      model: 'openrouter/meta-llama/llama-3.1-8b-instruct',
      // OpenRouter's own parameter, which the SDK sends as given.
      ...({ models: ['anthropic/claude-opus-4'] } as object),
      messages: [{ role: 'user', content: 'hi' }],
    }),
  );
  expect(billed, figures).toBeGreaterThan(0);
  expect(billed, figures).toBeLessThanOrEqual(0.2);
});

it('fallbacks: "default", whose models the body does not name, is refused under a budget', async () => {
  const res = await new Anthropic({
    baseURL: h.core.url,
    apiKey: await h.tool('fb-default', { dailyUsd: 1 }),
    maxRetries: 0,
  }).beta.messages
    .create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      betas: ['server-side-fallback-2026-07-01'],
      fallbacks: 'default',
      messages: [{ role: 'user', content: 'hi' }],
    })
    .then(
      () => 200,
      (e: { status?: number }) => e.status,
    );
  expect(res).toBe(403);
});
