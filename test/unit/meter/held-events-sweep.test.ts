// Held (deferred) stream events: an open stream lets go of them by age, a stream that ends with the
// provider's usage never parses them (issue 11's stream c=32 with issue 16's memory per open stream).
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHeldEventsSweep, heldEventsSweep } from '../../../main/core/meter/held-events-sweep.js';
import { createResponseMeter } from '../../../main/core/meter/index.js';
import { OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { countOpenAiTokens } from '../../../main/core/meter/token-count.js';
import { field } from '../../../main/core/meter/usage-fields.js';

// As the meter hands events over: their bytes as latin1 text.
const event = (t: string) => Buffer.from(`data: ${JSON.stringify({ t })}\n\n`).toString('latin1');

describe('held events of an open stream', () => {
  it('are parsed once held for the sweep age, far below the size bound, and counted once', async () => {
    let parsed = 0;
    const sweep = createHeldEventsSweep(20);
    const estimator = new OutputEstimator(
      'anthropic',
      (data, add) => {
        parsed++;
        add(field(data, 't'));
      },
      sweep,
    );
    for (const t of ['abc', 'defg', 'hij']) estimator.deferEvents(event(t), undefined);
    expect(parsed).toBe(0);
    expect(sweep.watching()).toBe(1);
    await sleep(80); // at least two ticks of 20 ms
    expect(parsed).toBe(3);
    expect(estimator.retainedChars()).toBe(0);
    expect(sweep.watching()).toBe(0);
    // 10 characters at 3.5 per token, rounded up; nothing parsed twice.
    expect(estimator.tokens()).toBe(3);
    expect(parsed).toBe(3);
  });

  it('are let go of by the process sweep within half a second', async () => {
    const estimator = new OutputEstimator('anthropic', (data, add) => add(field(data, 't')));
    estimator.deferEvents(event('x'.repeat(100)), undefined);
    expect(estimator.retainedChars()).toBeGreaterThan(0);
    await sleep(600);
    expect(estimator.retainedChars()).toBe(0);
    // 100 characters at 3.5 per token, rounded up.
    expect(estimator.tokens()).toBe(29);
  });

  it("tokenizes a slow stream's waiting deltas at a visit, so an open stream's memory stays flat", async () => {
    // 100 deltas: fewer than PENDING_MAX_DELTAS, so only the sweep's visit counts them.
    const deltas = Array.from({ length: 100 }, (_, i) => ` tok${i}`);
    const sweep = createHeldEventsSweep(20);
    const estimator = new OutputEstimator('openai', (data, add) => add(field(data, 't')), sweep);
    for (const t of deltas) estimator.deferEvents(event(t), 'gpt-4o-mini');
    // At least two ticks of 20 ms, and then as long as the tokenizer takes to load: a visit leaves
    // the deltas held until it can count them (on a loaded CI machine, 80 ms did not cover that).
    await sleep(80);
    await vi.waitFor(() => expect(estimator.retainedChars()).toBe(0), { timeout: 10_000, interval: 20 });
    // The same count as each delta counted on its own.
    expect(estimator.tokens()).toBe(deltas.reduce((s, t) => s + countOpenAiTokens(t, 'o200k_base'), 0));
  });

  it('an estimator asked for its count before the sweep is no longer watched', () => {
    const sweep = createHeldEventsSweep(60_000);
    const estimator = new OutputEstimator('anthropic', (data, add) => add(field(data, 't')), sweep);
    estimator.deferEvents(event('abcdefg'), undefined);
    expect(sweep.watching()).toBe(1);
    expect(estimator.tokens()).toBe(2); // 7 characters at 3.5 per token
    expect(sweep.watching()).toBe(0);
  });
});

describe('a stream that ends with the provider usage', () => {
  afterEach(() => vi.restoreAllMocks());
  const MODEL = 'gpt-4o-mini-2024-07-18';
  // Content chunks as OpenAI sends them with include_usage (usage:null in each), then the usage chunk.
  const chunk = (choices: unknown[], usage: unknown = null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: MODEL, system_fingerprint: 'fp_1', choices, usage })}\n\n`;
  const content = (i: number) =>
    chunk([{ index: 0, delta: { content: ` tok${i}` }, logprobs: null, finish_reason: null }]);
  const usage = { prompt_tokens: 38, completion_tokens: 80, total_tokens: 118 };

  it('parses only the events that carry usage or a new model, however many it held (12 kB)', () => {
    const meter = createResponseMeter({
      family: 'openai',
      endpoint: 'chat',
      streamed: true,
      stripUsage: false,
    });
    const events = [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
    ];
    for (let i = 0; events.join('').length < 12_000; i++) events.push(content(i));
    events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]), chunk([], usage));
    events.push('data: [DONE]\n\n');
    const parse = vi.spyOn(JSON, 'parse');
    // One write per event, as a provider's stream arrives.
    const out = events.map((e) => meter.push(Buffer.from(e)));
    out.push(meter.flush());
    expect(Buffer.concat(out).toString()).toBe(events.join(''));
    expect(meter.final).toBe(true);
    expect(meter.usage().outputTokens).toBe(80);
    // The first chunk (a new model) and the usage chunk; `[DONE]` is not JSON and is not parsed.
    expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
    expect(heldEventsSweep.watching()).toBe(0);
  });
});
