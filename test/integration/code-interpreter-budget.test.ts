// The Responses API's code interpreter tool runs in a container billed apart from the tokens, by
// its memory: 1 GB (the default) $0.03, 4 GB $0.12, 16 GB $0.48, 64 GB $1.92 per 20-minute
// session; since 2026-06-02 per minute at the same rate with a 5-minute minimum (OpenAI pricing and
// changelog as quoted at simoncarter.ai and modeldex.dev, "OpenAI container sessions now billed per
// minute", read 2026-11-29). Shimmy sees no minutes: each container an answer created is recorded
// as one 20-minute session, the most a session up to its idle expiry costs.
// gpt-5: $1.25 in / $10 out per 1M (openai.com/api/pricing, read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, postStatus, responsesAnswer } from '../support/json-provider.js';

let h: Harness;
const received: Array<Record<string, unknown>> = [];

// Reads 8 input tokens, writes 1,000, and runs its code in a new container (two calls in it), as
// the code interpreter does with `container: {type: "auto"}`; the response echoes the tools.
harnessOnJsonProvider(
  ['openai'],
  (started) => (h = started),
  (_, b) => {
    received.push(b);
    // A stored prompt holding a code interpreter tool with a 16 GB container, and 390,000 tokens
    // of its own: the answer echoes the tools it ran with, the prompt's.
    const stored = (b.prompt as { id?: unknown } | undefined)?.id === 'pmpt_coder';
    const input = stored ? 390_008 : 8;
    return responsesAnswer({
      id: 'resp_x',
      status: 'completed',
      model: b.model,
      tools: stored
        ? [{ type: 'code_interpreter', container: { type: 'auto', memory_limit: '16g' } }]
        : b.tools,
      output: [
        {
          type: 'code_interpreter_call',
          id: 'ci_1',
          status: 'completed',
          container_id: 'cntr_1',
          code: '1+1',
        },
        {
          type: 'code_interpreter_call',
          id: 'ci_2',
          status: 'completed',
          container_id: 'cntr_1',
          code: '2+2',
        },
        {
          type: 'message',
          id: 'msg_x',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: '4', annotations: [] }],
        },
      ],
      input,
      outputTokens: 1000,
    });
  },
);

/** gpt-5 at the default tier asked "what is 2+2? run it" with `tools` (a code interpreter with
 *  `container`), or a stored `prompt`: the status. */
const run = (token: string, x: { container: unknown } | { prompt: unknown }) =>
  postStatus(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 1000,
    ...('container' in x ? { tools: [{ type: 'code_interpreter', container: x.container }] } : x),
    input: 'what is 2+2? run it',
  });

it('the container an answer created is recorded at its session price', async () => {
  // 8 × 1.25e-6 + 1,000 × 10e-6 = $0.01001, and one 1 GB container (two calls ran in it): $0.03,
  // $0.04001. Before: $0.01001.
  const token = await h.tool('coder');
  expect(await run(token, { container: { type: 'auto' } })).toBe(200);
  await expect.poll(() => h.spentBy('coder')).toBeGreaterThan(0);
  expect(await h.spentBy('coder')).toBeCloseTo(0.04001, 8);
  const [record] = await h.records('coder');
  expect(record!.usage).toMatchObject({ containers: 1 });
});

it('a 4 GB container is recorded at $0.12', async () => {
  // $0.01001 + $0.12 = $0.13001.
  const token = await h.tool('coder-4g');
  expect(await run(token, { container: { type: 'auto', memory_limit: '4g' } })).toBe(200);
  await expect.poll(() => h.spentBy('coder-4g')).toBeGreaterThan(0);
  expect(await h.spentBy('coder-4g')).toBeCloseTo(0.13001, 8);
});

it('a container is reserved under a budget: $0.035/day', async () => {
  // Reserved at the tokens alone ($0.01001) it fit and recorded $0.04001, past $0.035. With its
  // container ($0.03) not even a 1,024-token answer fits what is left: refused, nothing sent.
  const token = await h.tool('coder-budget', { dailyUsd: 0.035 });
  received.length = 0;
  expect(await run(token, { container: { type: 'auto' } })).toBe(429);
  expect(received).toHaveLength(0);
  expect(await h.spentBy('coder-budget')).toBe(0);
});

it('a container is reserved under a budget: $0.05/day', async () => {
  // Reserved $0.01001 + $0.03 = $0.04001: admitted, and recorded $0.04001.
  const token = await h.tool('coder-room', { dailyUsd: 0.05 });
  expect(await run(token, { container: { type: 'auto' } })).toBe(200);
  await expect.poll(() => h.spentBy('coder-room')).toBeGreaterThan(0);
  expect(await h.spentBy('coder-room')).toBeLessThanOrEqual(0.05);
});

// A stored prompt (`prompt: {id}`) brings its own tools, unseen in the body: it is reserved as if
// it held a code interpreter tool whose container is the dearest size, 64 GB ($1.92), as its image
// tool is reserved at its dearest (image-tool-calls.ts).
const runStoredPrompt = (token: string) => run(token, { prompt: { id: 'pmpt_coder' } });

it("a stored prompt's container is reserved: refused on $0.80/day", async () => {
  // Reserved without it — the prompt at gpt-5's 400,000-token window ($0.50), 1,000 out ($0.01)
  // and one built-in call (a search or image) — it went out and recorded 390,008 × 1.25e-6 +
  // 1,000 × 10e-6 + 16 × $0.03 = $0.97751 on $0.80. With a 64 GB container ($1.92) nothing fits.
  const token = await h.tool('prompt-coder', { dailyUsd: 0.8 });
  received.length = 0;
  expect(await runStoredPrompt(token)).toBe(429);
  expect(received).toHaveLength(0);
  expect(await h.spentBy('prompt-coder')).toBe(0);
});

it("a stored prompt's container is reserved: admitted on $3/day, within it", async () => {
  const token = await h.tool('prompt-coder-room', { dailyUsd: 3 });
  expect(await runStoredPrompt(token)).toBe(200);
  await expect.poll(() => h.spentBy('prompt-coder-room')).toBeGreaterThan(0);
  // 390,008 × 1.25e-6 + 1,000 × 10e-6 + 16 × 0.03 = $0.97751.
  expect(await h.spentBy('prompt-coder-room')).toBeCloseTo(0.97751, 8);
});
