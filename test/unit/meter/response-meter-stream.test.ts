import { describe, expect, it } from 'vitest';
import { createResponseMeter, type MeterOptions } from '../../../main/core/meter/index.js';
import {
  ANTHROPIC_DELTA_TOKENS,
  ANTHROPIC_STREAM,
  CHAT_DELTA_TOKENS,
  CHAT_STREAM_WITH_USAGE,
  CHAT_STREAM_WITHOUT_USAGE,
  CHAT_USAGE_CHUNK,
  RESPONSES_DELTA_TOKENS,
  RESPONSES_STREAM,
} from './fixtures.js';

/** Feeds `parts` through a fresh meter; returns what the client got and the meter. */
function run(opts: MeterOptions, parts: Buffer[]) {
  const meter = createResponseMeter(opts);
  const out = parts.map((p) => meter.push(p));
  out.push(meter.flush());
  return { meter, out: Buffer.concat(out), firstOut: out[0] ?? Buffer.alloc(0) };
}

/** Bytes up to the end of the last complete event in `b` (what must be forwarded at once). */
function completeEventsPrefix(b: Buffer): number {
  const i = b.lastIndexOf('\n\n');
  const j = b.lastIndexOf('\r\n\r\n');
  return Math.max(i < 0 ? 0 : i + 2, j < 0 ? 0 : j + 4);
}

const chat: MeterOptions = { family: 'openai', endpoint: 'chat', streamed: true, stripUsage: false };
const CHAT_USAGE = {
  inputTokens: 1000,
  cachedInputTokens: 200,
  cacheWriteTokens: 0,
  outputTokens: 500,
  reasoningTokens: 64,
  // Every chunk says `"service_tier":"default"`, the usage chunk too.
  serviceTier: 'default',
};

describe('chat/completions stream', () => {
  const bytes = Buffer.from(CHAT_STREAM_WITH_USAGE, 'utf8');
  const stripped = Buffer.from(CHAT_STREAM_WITHOUT_USAGE, 'utf8');

  it('reads the usage chunk and forwards every byte unchanged, split at every byte offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      const { meter, out, firstOut } = run(chat, [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(out.equals(bytes)).toBe(true);
      expect(firstOut.equals(bytes.subarray(0, completeEventsPrefix(bytes.subarray(0, i))))).toBe(true);
      expect(meter.usage()).toEqual(CHAT_USAGE);
      expect(meter.final).toBe(true);
      expect(meter.model).toBe('gpt-4o-mini-2024-07-18');
    }
  });

  it('with stripUsage, gives the client exactly the stream without include_usage, at every offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      const { meter, out } = run({ ...chat, stripUsage: true }, [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(out.toString('utf8')).toBe(stripped.toString('utf8'));
      expect(out.equals(stripped)).toBe(true);
      expect(meter.usage()).toEqual(CHAT_USAGE);
    }
    const oneByte = run(
      { ...chat, stripUsage: true },
      [...bytes].map((b) => Buffer.from([b])),
    );
    expect(oneByte.out.equals(stripped)).toBe(true);
    expect(oneByte.meter.final).toBe(true);
  });

  it('a stream cut before the usage chunk is not final and estimates output from the deltas', () => {
    const cut = bytes.subarray(0, bytes.indexOf(CHAT_USAGE_CHUNK));
    const { meter, out } = run({ ...chat, inputEstimate: 950 }, [cut]);
    expect(out.equals(cut)).toBe(true);
    expect(meter.final).toBe(false);
    expect(meter.usage()).toEqual({
      inputTokens: 950,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: CHAT_DELTA_TOKENS,
      reasoningTokens: 0,
    });
  });

  it('a trailing event without its blank line is still forwarded and read on flush', () => {
    const noTerminator = bytes.subarray(0, bytes.length - 2);
    const { meter, out } = run(chat, [noTerminator]);
    expect(out.equals(noTerminator)).toBe(true);
    expect(meter.final).toBe(true);
  });
});

describe('Responses API stream', () => {
  const opts: MeterOptions = { family: 'openai', endpoint: 'responses', streamed: true, stripUsage: false };
  const bytes = Buffer.from(RESPONSES_STREAM, 'utf8');
  const USAGE = {
    inputTokens: 2048,
    cachedInputTokens: 1024,
    cacheWriteTokens: 0,
    outputTokens: 300,
    reasoningTokens: 256,
  };

  it('reads usage from response.completed at every split offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      const { meter, out } = run(opts, [bytes.subarray(0, i), bytes.subarray(i)]);
      expect(out.equals(bytes)).toBe(true);
      expect(meter.usage()).toEqual(USAGE);
      expect(meter.final).toBe(true);
      expect(meter.model).toBe('gpt-5-2025-08-07');
    }
  });

  it('reads usage from response.incomplete too', () => {
    const incomplete = RESPONSES_STREAM.replaceAll('response.completed', 'response.incomplete');
    const { meter } = run(opts, [Buffer.from(incomplete)]);
    expect(meter.final).toBe(true);
    expect(meter.usage()).toEqual(USAGE);
  });

  it('a cut stream is estimated from text and argument deltas', () => {
    const cut = bytes.subarray(0, bytes.indexOf('event: response.completed'));
    const { meter } = run({ ...opts, inputEstimate: 2000 }, [cut]);
    expect(meter.final).toBe(false);
    expect(meter.usage().outputTokens).toBe(RESPONSES_DELTA_TOKENS);
    expect(meter.usage().inputTokens).toBe(2000);
  });
});

describe('Anthropic Messages stream', () => {
  const opts: MeterOptions = { family: 'anthropic', endpoint: 'messages', streamed: true, stripUsage: false };
  // input = 1000 uncached + 2000 cache write + 10000 cache read.
  const USAGE = {
    inputTokens: 13000,
    cachedInputTokens: 10000,
    cacheWriteTokens: 2000,
    outputTokens: 250,
    reasoningTokens: 0,
    serviceTier: 'standard',
  };

  for (const [name, text] of [
    ['LF', ANTHROPIC_STREAM],
    ['CRLF', ANTHROPIC_STREAM.replaceAll('\n', '\r\n')],
  ] as const) {
    it(`sums the three input kinds and takes message_delta output at every split offset (${name})`, () => {
      const bytes = Buffer.from(text, 'utf8');
      for (let i = 0; i <= bytes.length; i++) {
        const { meter, out, firstOut } = run(opts, [bytes.subarray(0, i), bytes.subarray(i)]);
        expect(out.equals(bytes)).toBe(true);
        expect(firstOut.equals(bytes.subarray(0, completeEventsPrefix(bytes.subarray(0, i))))).toBe(true);
        expect(meter.usage()).toEqual(USAGE);
        expect(meter.final).toBe(true);
        expect(meter.model).toBe('claude-sonnet-4-5-20250929');
      }
    });
  }

  it('takes the LAST cumulative message_delta usage, never a sum, and the latest non-null input counts', () => {
    const deltas =
      'event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":{"output_tokens":100}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":{"input_tokens":1200,"cache_creation_input_tokens":null,"cache_read_input_tokens":10000,"output_tokens":250}}\n\n';
    const text = ANTHROPIC_STREAM.replace(/event: message_delta\n.*\n\n/, deltas);
    const { meter } = run(opts, [Buffer.from(text)]);
    // input 1200 (repeated, latest) + 2000 (message_start; the delta's null keeps it) + 10000.
    expect(meter.usage()).toEqual({ ...USAGE, inputTokens: 13200, outputTokens: 250 });
  });

  it('mid-stream and cut: message_start input plus output estimated from the deltas', () => {
    const bytes = Buffer.from(ANTHROPIC_STREAM);
    const meter = createResponseMeter({ ...opts, inputEstimate: 5 });
    expect(meter.usage().inputTokens).toBe(5);
    meter.push(bytes.subarray(0, bytes.indexOf('event: message_delta')));
    expect(meter.final).toBe(false);
    expect(meter.usage()).toEqual({ ...USAGE, outputTokens: ANTHROPIC_DELTA_TOKENS });
    meter.flush();
    expect(meter.final).toBe(false);
    expect(meter.usage().outputTokens).toBe(ANTHROPIC_DELTA_TOKENS);
  });
});

describe('count_tokens and other endpoints', () => {
  it('count_tokens is free: zero usage, final, body forwarded unchanged', () => {
    const body = Buffer.from('{"input_tokens":2095}');
    const { meter, out } = run(
      { family: 'anthropic', endpoint: 'count_tokens', streamed: false, stripUsage: false },
      [body],
    );
    expect(out.equals(body)).toBe(true);
    expect(meter.usage()).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
    expect(meter.final).toBe(true);
  });

  it('an unmetered endpoint passes SSE through untouched', () => {
    const bytes = Buffer.from(CHAT_STREAM_WITH_USAGE);
    const { meter, out } = run({ family: 'openai', endpoint: 'other', streamed: true, stripUsage: true }, [
      bytes,
    ]);
    expect(out.equals(bytes)).toBe(true);
    expect(meter.final).toBe(false);
    expect(meter.usage().outputTokens).toBe(0);
  });
});
