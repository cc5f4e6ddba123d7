import { describe, expect, it } from 'vitest';
import { createResponseMeter, type MeterOptions } from '../../../main/core/meter/index.js';
import { FULL_PARSE_MAX_BYTES } from '../../../main/core/meter/json-body-capture.js';

function runBody(opts: Omit<MeterOptions, 'streamed' | 'stripUsage'>, body: string, pieces = 3) {
  const meter = createResponseMeter({ ...opts, streamed: false, stripUsage: false });
  const bytes = Buffer.from(body, 'utf8');
  const step = Math.ceil(bytes.length / pieces);
  for (let i = 0; i < bytes.length; i += step) {
    const chunk = bytes.subarray(i, i + step);
    // Non-SSE bodies are forwarded immediately and unchanged.
    expect(meter.push(chunk)).toBe(chunk);
  }
  expect(meter.flush()).toHaveLength(0);
  return meter;
}

describe('non-streaming JSON bodies', () => {
  it('chat completion', () => {
    const body = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Héllo 世界' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    const meter = runBody({ family: 'openai', endpoint: 'chat' }, body);
    expect(meter.final).toBe(true);
    expect(meter.model).toBe('gpt-4o-mini-2024-07-18');
    expect(meter.usage()).toEqual({
      inputTokens: 1000,
      cachedInputTokens: 200,
      cacheWriteTokens: 0,
      outputTokens: 500,
      reasoningTokens: 0,
    });
  });

  it('Responses API response', () => {
    const body = JSON.stringify({
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'o4-mini-2025-04-16',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'hi' }] }],
      usage: {
        input_tokens: 300,
        input_tokens_details: { cached_tokens: 100 },
        output_tokens: 900,
        output_tokens_details: { reasoning_tokens: 850 },
        total_tokens: 1200,
      },
    });
    const meter = runBody({ family: 'openai', endpoint: 'responses' }, body);
    expect(meter.final).toBe(true);
    expect(meter.usage()).toEqual({
      inputTokens: 300,
      cachedInputTokens: 100,
      cacheWriteTokens: 0,
      outputTokens: 900,
      reasoningTokens: 850,
    });
  });

  it('Anthropic message: input = input + cache_creation + cache_read', () => {
    const body = JSON.stringify({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: 'Bonjour' }],
      stop_reason: 'end_turn',
      usage: {
        input_tokens: 12,
        cache_creation_input_tokens: 3000,
        cache_read_input_tokens: 45000,
        output_tokens: 7,
      },
    });
    const meter = runBody({ family: 'anthropic', endpoint: 'messages' }, body);
    expect(meter.final).toBe(true);
    expect(meter.model).toBe('claude-haiku-4-5-20251001');
    expect(meter.usage()).toEqual({
      inputTokens: 48012,
      cachedInputTokens: 45000,
      cacheWriteTokens: 3000,
      outputTokens: 7,
      reasoningTokens: 0,
    });
  });

  it('embeddings: prompt_tokens only', () => {
    const body = JSON.stringify({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.0023, -0.0093] }],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
    const meter = runBody({ family: 'openai', endpoint: 'embeddings' }, body);
    expect(meter.usage()).toEqual({
      inputTokens: 8,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
    expect(meter.final).toBe(true);
  });

  it('a body without usage is not final and estimates output from its text', () => {
    const body = JSON.stringify({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [{ message: { content: 'Hello world' } }],
    });
    const meter = runBody({ family: 'openai', endpoint: 'chat', inputEstimate: 40 }, body);
    expect(meter.final).toBe(false);
    // "Hello world" is 2 o200k tokens.
    expect(meter.usage()).toEqual({
      inputTokens: 40,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 2,
      reasoningTokens: 0,
    });
  });

  it('a body past the full-parse limit is read from its bounded head and tail', () => {
    // ~9 MB of embedding numbers, then model and usage at the end as OpenAI sends them.
    const vector = Array.from({ length: 1536 }, (_, i) => ((i % 97) / 1000 - 0.05).toFixed(6)).join(',');
    const items: string[] = [];
    let size = 0;
    for (let i = 0; size <= FULL_PARSE_MAX_BYTES + 1_000_000; i++) {
      const item = `{"object":"embedding","index":${i},"embedding":[${vector}]}`;
      items.push(item);
      size += item.length + 1;
    }
    const body =
      `{"object":"list","data":[${items.join(',')}],` +
      '"model":"text-embedding-3-large","usage":{"prompt_tokens":123456,"total_tokens":123456}}';
    const meter = runBody({ family: 'openai', endpoint: 'embeddings' }, body, 50);
    expect(meter.final).toBe(true);
    expect(meter.model).toBe('text-embedding-3-large');
    expect(meter.usage().inputTokens).toBe(123456);
  });

  it('an unparseable body is not final and has no usage', () => {
    const meter = runBody({ family: 'openai', endpoint: 'chat' }, '<html>502 Bad Gateway</html>');
    expect(meter.final).toBe(false);
    expect(meter.usage().inputTokens).toBe(0);
  });
});
