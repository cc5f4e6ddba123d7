// The meter keeps most stream events unparsed (they only feed the output estimate): these check
// that no event carrying usage or a new model is ever skipped, and that nothing is copied needlessly.
import { describe, expect, it } from 'vitest';
import { createResponseMeter, type MeterOptions } from '../../../main/core/meter/index.js';
import {
  ANTHROPIC_STREAM,
  CHAT_STREAM_WITH_USAGE,
  CHAT_STREAM_WITHOUT_USAGE,
  CHAT_USAGE_CHUNK,
  RESPONSES_STREAM,
} from './fixtures.js';

const chat: MeterOptions = { family: 'openai', endpoint: 'chat', streamed: true, stripUsage: false };
const sse = (data: string) => `data: ${data}\n\n`;
const chunk = (model: string, content: string, usage = 'null') =>
  sse(
    `{"id":"c1","object":"chat.completion.chunk","model":"${model}","choices":[{"index":0,"delta":{"content":"${content}"}}],"usage":${usage}}`,
  );

function feed(opts: MeterOptions, events: string[]) {
  const meter = createResponseMeter(opts);
  const out = events.map((e) => meter.push(Buffer.from(e)));
  out.push(meter.flush());
  return { meter, out: Buffer.concat(out).toString('utf8') };
}

describe('events that must be read at once', () => {
  it('reads usage that comes with every chunk (cumulative), not only in a usage-only chunk', () => {
    const u = (n: number) => `{"prompt_tokens":10,"completion_tokens":${n},"total_tokens":${10 + n}}`;
    const events = [chunk('gpt-4o', 'a', u(1)), chunk('gpt-4o', 'b', u(2)), chunk('gpt-4o', 'c', u(3))];
    const cut = feed(chat, events.slice(0, 2)).meter;
    expect(cut.final).toBe(true);
    expect(cut.usage()).toEqual({
      inputTokens: 10,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 2,
      reasoningTokens: 0,
    });
    expect(feed(chat, events).meter.usage().outputTokens).toBe(3);
  });

  it('reads a usage key spelled with a \\u escape, which a substring search would miss', () => {
    const escaped = sse(
      '{"model":"gpt-4o","choices":[],"\\u0075sage":{"prompt_tokens":5,"completion_tokens":7}}',
    );
    const { meter } = feed(chat, [chunk('gpt-4o', 'hi'), chunk('gpt-4o', 'there'), escaped]);
    expect(meter.final).toBe(true);
    expect(meter.usage()).toEqual({
      inputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 7,
      reasoningTokens: 0,
    });
  });

  it('sees a model that changes mid-stream', () => {
    const { meter } = feed(chat, [
      chunk('gpt-4o', 'a'),
      chunk('gpt-4o', 'b'),
      chunk('gpt-4o-2024-08-06', 'c'),
    ]);
    expect(meter.model).toBe('gpt-4o-2024-08-06');
    expect(meter.final).toBe(false);
  });

  it('reads a Responses event whose response object is not the first key', () => {
    const done = sse(
      '{"sequence_number":9,"response":{"model":"gpt-5","usage":{"input_tokens":4,"output_tokens":6}},"type":"response.completed"}',
    );
    const delta = sse('{"type":"response.output_text.delta","delta":"hi"}');
    const { meter } = feed({ ...chat, endpoint: 'responses' }, [delta, done]);
    expect(meter.model).toBe('gpt-5');
    expect(meter.usage()).toEqual({
      inputTokens: 4,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 6,
      reasoningTokens: 0,
    });
  });
});

describe('the image generation tool of a Responses stream', () => {
  it("reads the tool's own usage from response.completed (tool_usage.image_gen), apart from usage", () => {
    // OpenAI reports the image model's tokens there (sub2api issues #1999, #4644); on main the
    // meter had no toolImageUsage and the image was recorded at $0.
    const done = sse(
      '{"type":"response.completed","response":{"model":"gpt-5","usage":{"input_tokens":8,"output_tokens":20},' +
        '"tool_usage":{"image_gen":{"input_tokens":50,"input_tokens_details":{"text_tokens":50,"image_tokens":0},' +
        '"output_tokens":4160,"output_tokens_details":{"image_tokens":4160,"text_tokens":0},"total_tokens":4210}}}}',
    );
    const { meter } = feed({ ...chat, endpoint: 'responses' }, [done]);
    expect(meter.usage().outputTokens).toBe(20);
    expect(meter.toolImageUsage).toMatchObject({
      inputTokens: 50,
      outputTokens: 4160,
      outputImageTokens: 4160,
    });
  });
});

describe('the running estimate over kept events', () => {
  it('is the same when asked after every event (as a budget check does) and ends at the provider usage', () => {
    const bytes = Buffer.from(CHAT_STREAM_WITH_USAGE);
    const cut = bytes.indexOf(CHAT_USAGE_CHUNK);
    const events = bytes
      .subarray(0, cut)
      .toString('utf8')
      .split(/(?<=\n\n)/);
    const meter = createResponseMeter({ ...chat, inputEstimate: 900 });
    const seen = events.map((e) => {
      meter.push(Buffer.from(e));
      return meter.usage().outputTokens;
    });
    // o200k_base: "" 0, "Héllo" 3, " 世界" 1, " 🎉" 2, finish chunk 0.
    expect(seen).toEqual([0, 3, 4, 6, 6]);
    expect(meter.usage().inputTokens).toBe(900);
    meter.push(bytes.subarray(cut));
    expect(meter.final).toBe(true);
    expect(meter.usage().outputTokens).toBe(500);
  });

  it('counts Anthropic deltas past the bound on kept text exactly', () => {
    const text = 'x'.repeat(1000);
    const delta = sse(
      `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}`,
    );
    const start = sse(
      '{"type":"message_start","message":{"model":"claude-x","usage":{"input_tokens":12,"output_tokens":1}}}',
    );
    const { meter } = feed({ family: 'anthropic', endpoint: 'messages', streamed: true, stripUsage: false }, [
      start,
      ...Array.from({ length: 400 }, () => delta),
    ]);
    // 400 000 characters at 3.5 per token → 114 286 (rounded up).
    expect(meter.usage()).toEqual({
      inputTokens: 12,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 114286,
      reasoningTokens: 0,
    });
    expect(meter.final).toBe(false);
  });
});

describe('forwarding without copies', () => {
  it('returns the pushed chunk itself when it holds whole events, and a view of it otherwise', () => {
    const meter = createResponseMeter(chat);
    const whole = Buffer.from(chunk('gpt-4o', 'a') + chunk('gpt-4o', 'b'));
    expect(meter.push(whole)).toBe(whole);
    const first = chunk('gpt-4o', 'c');
    const partial = Buffer.from(first + 'data: {"id":');
    const out = meter.push(partial);
    expect(out.toString()).toBe(first);
    expect(out.buffer).toBe(partial.buffer);
    expect(meter.push(Buffer.from('"c2"}\n\n')).toString()).toBe('data: {"id":"c2"}\n\n');
  });

  it('with stripUsage, an event left unchanged is still the pushed chunk', () => {
    const meter = createResponseMeter({ ...chat, stripUsage: true });
    const noUsage = Buffer.from(sse('{"id":"c1","choices":[]}'));
    expect(meter.push(noUsage)).toBe(noUsage);
    expect(meter.push(Buffer.from(chunk('gpt-4o', 'é'))).toString()).toBe(
      sse(
        '{"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"é"}}]}',
      ),
    );
  });
});

describe('events that arrive together', () => {
  // The meter reads a run of events at once (one scan, the run kept unparsed) when a push holds
  // several; one event per push takes the per-event path. Both must meter exactly alike.
  const u = (n: number) => `{"prompt_tokens":10,"completion_tokens":${n},"total_tokens":${10 + n}}`;
  const cases: Array<[string, MeterOptions, string]> = [
    ['chat with usage', chat, CHAT_STREAM_WITH_USAGE],
    ['chat cut before usage', chat, CHAT_STREAM_WITHOUT_USAGE],
    ['responses', { ...chat, endpoint: 'responses' }, RESPONSES_STREAM],
    [
      'anthropic',
      { family: 'anthropic', endpoint: 'messages', streamed: true, stripUsage: false },
      ANTHROPIC_STREAM,
    ],
    [
      'a model that changes mid-run',
      chat,
      chunk('gpt-4o', 'a') +
        chunk('gpt-4o', 'b') +
        chunk('gpt-4o-2024-08-06', 'c') +
        chunk('gpt-4o-2024-08-06', 'd'),
    ],
    [
      'cumulative usage on every chunk',
      chat,
      chunk('gpt-4o', 'a', u(1)) + chunk('gpt-4o', 'b', u(2)) + chunk('gpt-4o', 'c', u(3)),
    ],
    [
      'a usage key behind a \\u escape mid-run',
      chat,
      chunk('gpt-4o', 'a') +
        chunk('gpt-4o', 'b') +
        sse('{"model":"gpt-4o","choices":[],"\\u0075sage":{"prompt_tokens":5,"completion_tokens":7}}') +
        chunk('gpt-4o', 'c'),
    ],
    [
      // Its UTF-8 bytes read as latin1 spell the first name: the run scan must not mistake one for the other.
      'a non-ASCII model name, then its latin1 look-alike',
      chat,
      chunk('Ã©', 'a') + chunk('é', 'b') + chunk('é', 'c') + chunk('é', 'd'),
    ],
    [
      'a model name with regex characters, multi-byte text and CRLF lines',
      chat,
      (
        chunk('acme/m.1+(x)', 'Héllo') +
        chunk('acme/m.1+(x)', ' 世界') +
        chunk('acme/m.1+(x)', ' 🎉')
      ).replace(/\n/g, '\r\n') + 'data: [DONE]\r\n\r\n',
    ],
  ];

  const meterIn = (opts: MeterOptions, pieces: Buffer[]) => {
    const meter = createResponseMeter({ ...opts, inputEstimate: 50 });
    const out = Buffer.concat([...pieces.map((p) => meter.push(p)), meter.flush()]);
    return { out: out.toString('utf8'), usage: meter.usage(), final: meter.final, model: meter.model };
  };

  it.each(cases)('%s: one push, event by event and odd pieces agree', (_name, opts, text) => {
    const bytes = Buffer.from(text);
    const events = text.split(/(?<=\r?\n\r?\n)/).map((e) => Buffer.from(e));
    const odd: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 37) odd.push(bytes.subarray(at, at + 37));
    const byEvent = meterIn(opts, events);
    expect(byEvent.out).toBe(text);
    expect(meterIn(opts, [bytes])).toEqual(byEvent);
    expect(meterIn(opts, odd)).toEqual(byEvent);
  });
});

describe('stripping a run of events', () => {
  // What include_usage adds to each chunk is dropped only where it is a top-level member: the fast
  // path (a `,"usage":null}` tail on the only line) and the scan must agree on every shape.
  const strip: MeterOptions = { ...chat, stripUsage: true };
  const cases: Array<[string, string, string]> = [
    ['the usual tail', sse('{"id":"c","choices":[],"usage":null}'), sse('{"id":"c","choices":[]}')],
    [
      'no usage at all',
      sse('{"id":"c","choices":[{"delta":{"content":"x"}}]}'),
      sse('{"id":"c","choices":[{"delta":{"content":"x"}}]}'),
    ],
    ['a usage key in a string', sse('{"id":"c","s":"\\"usage\\""}'), sse('{"id":"c","s":"\\"usage\\""}')],
    ['no space after data:', 'data:{"id":"c","usage":null}\n\n', 'data:{"id":"c"}\n\n'],
    ['usage first', sse('{"usage":null,"id":"c"}'), sse('{"id":"c"}')],
    [
      'a nested usage is not top-level',
      sse('{"id":"c","x":{"usage":null}}'),
      sse('{"id":"c","x":{"usage":null}}'),
    ],
    [
      'the tail spelled inside a string',
      sse('{"id":"c","s":"a,\\"usage\\":null}"}'),
      sse('{"id":"c","s":"a,\\"usage\\":null}"}'),
    ],
    [
      'data on two lines is forwarded as it is',
      'data: {"id":"c",\ndata: "usage":null}\n\n',
      'data: {"id":"c",\ndata: "usage":null}\n\n',
    ],
    ['CRLF lines', 'data: {"id":"c","usage":null}\r\n\r\n', 'data: {"id":"c"}\r\n\r\n'],
    ['an event: line first', 'event: x\ndata: {"id":"c","usage":null}\n\n', 'event: x\ndata: {"id":"c"}\n\n'],
  ];

  it.each(cases)('%s', (_name, event, expected) => {
    const twice = event + event;
    const plain = sse('{"id":"p"}');
    for (const pieces of [[event, event], [twice], [plain + event + plain + event]]) {
      const meter = createResponseMeter(strip);
      const out = Buffer.concat([...pieces.map((p) => meter.push(Buffer.from(p))), meter.flush()]);
      const want =
        pieces.length === 1 && pieces[0]!.startsWith(plain)
          ? plain + expected + plain + expected
          : expected + expected;
      expect(out.toString('utf8')).toBe(want);
    }
  });
});
