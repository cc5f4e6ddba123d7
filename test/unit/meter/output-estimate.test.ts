import { beforeAll, describe, expect, it } from 'vitest';
import { DEFERRED_MAX_CHARS, OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { countOpenAiTokens, startTokenizerThread } from '../../../main/core/meter/token-count.js';
import { field } from '../../../main/core/meter/usage-fields.js';

describe('OutputEstimator.deferEvents', () => {
  it('parses kept payloads only when asked, or once they pass the bound', () => {
    let parsed = 0;
    const estimator = new OutputEstimator('anthropic', (data, add) => {
      parsed++;
      add(field(data, 't'));
    });
    const event = `data: ${JSON.stringify({ t: 'x'.repeat(1000) })}\n\n`; // 1016 characters
    const fit = Math.floor(DEFERRED_MAX_CHARS / event.length); // 4 with the 4 Ki bound
    for (let i = 0; i < fit; i++) estimator.deferEvents(event, undefined);
    expect(parsed).toBe(0);
    estimator.deferEvents(event, undefined);
    expect(parsed).toBe(fit + 1);
    for (let i = 0; i < fit - 1; i++) estimator.deferEvents(event, undefined);
    expect(parsed).toBe(fit + 1);
    // 2 × fit × 1000 characters at 3.5 per token, rounded up.
    expect(estimator.tokens()).toBe(Math.ceil((2 * fit * 1000) / 3.5));
    expect(parsed).toBe(2 * fit);
  });

  it('skips a kept payload that is not JSON and tokenizes the others with their own model', () => {
    const estimator = new OutputEstimator('openai', (data, add) => add(field(data, 't')));
    estimator.deferEvents('data: {"t":"Hello world"}\n\n', 'gpt-4o');
    estimator.deferEvents('data: {"t":\n\n', 'gpt-4o');
    estimator.add('Hello world', 'gpt-4');
    // "Hello world" is 2 tokens in both o200k_base and cl100k_base.
    expect(estimator.tokens()).toBe(4);
  });
});

describe('OutputEstimator reading kept events', () => {
  it('reads data on several lines, comments, blank lines and CRLF events as the SSE rules say', () => {
    const kept = [
      'event: x\ndata: {"t":\ndata:"ab"}\n\n: a comment\n\n\ndata:{"t":"cd"}\n\ndata\n\n',
      'data: {"t":"ef"}\n\nid: 1\ndata: {"t":"gh"}\n\n',
      'data: {"t":"ij"}\r\n\r\ndata: {"t":\r\ndata: "kl"}\r\n\r\n',
    ];
    const seen: unknown[] = [];
    const estimator = new OutputEstimator('anthropic', (data, add) => {
      seen.push(field(data, 't'));
      add(field(data, 't'));
    });
    for (const k of kept) estimator.deferEvents(k, undefined);
    // 12 characters at 3.5 per token, rounded up.
    expect(estimator.tokens()).toBe(4);
    expect(seen).toEqual(['ab', 'cd', 'ef', 'gh', 'ij', 'kl']);
  });
});

describe('OutputEstimator memory (issue 16)', () => {
  // Loaded first: a count asked while it loads is the bound, and the expected sum and the
  // estimator's batches would then depend on when the thread came up.
  beforeAll(() => startTokenizerThread(), 60_000);
  // A chat stream's content chunk as OpenAI sends it, with one short delta.
  // Its bytes as latin1 text, as the meter hands events over.
  const chunk = (content: string) =>
    Buffer.from(
      `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] })}\n\n`,
    ).toString('latin1');
  const words = 'the quick brown fox jumps over a lazy dog while Shimmy meters every token'.split(' ');

  it('holds a bounded amount of text for a 1 MB answer, and still counts every delta', () => {
    const estimator = new OutputEstimator('openai', (data, add) => {
      const choices = field(data, 'choices') as Array<{ delta?: { content?: string } }>;
      for (const c of choices) add(c.delta?.content);
    });
    let bytes = 0;
    let expected = 0;
    let maxRetained = 0;
    for (let i = 0; bytes < 1_000_000; i++) {
      const delta = ' ' + (words[i % words.length] as string) + (i % 7 === 0 ? ',' : '');
      const event = chunk(delta);
      bytes += event.length;
      // Each delta tokenized on its own, as the estimator has always counted them.
      expected += countOpenAiTokens(delta, 'o200k_base');
      estimator.deferEvents(event, 'gpt-4o-mini');
      maxRetained = Math.max(maxRetained, estimator.retainedChars());
    }
    expect(maxRetained).toBeLessThan(40 * 1024);
    expect(estimator.tokens()).toBe(expected);
    expect(estimator.retainedChars()).toBe(0);
  });

  it('holds a bounded amount of text for a 1 MB Anthropic answer', () => {
    const estimator = new OutputEstimator('anthropic', (data, add) => add(field(data, 't')));
    let chars = 0;
    let maxRetained = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = (words[i % words.length] as string) + ' ';
      chars += t.length;
      estimator.deferEvents(`event: content_block_delta\ndata: {"t":${JSON.stringify(t)}}\n\n`, undefined);
      maxRetained = Math.max(maxRetained, estimator.retainedChars());
    }
    expect(maxRetained).toBeLessThan(40 * 1024);
    expect(estimator.tokens()).toBe(Math.ceil(chars / 3.5));
  });
});
