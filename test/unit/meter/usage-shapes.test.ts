// Every usage shape beyond the basics, streamed and not, read through the real response meter.
// Each stream is also fed event by event, in one push and in 37-byte pieces: all three must agree.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { createResponseMeter, providerDialect, type MeterOptions } from '../../../main/core/meter/index.js';
import {
  ANTHROPIC_FULL_BODY,
  ANTHROPIC_FULL_STREAM,
  ANTHROPIC_FULL_USAGE,
  CHAT_AUDIO_BODY,
  DALLE_BODY,
  DEEPSEEK_BODY,
  IMAGE_STREAM,
  IMAGE_TOKENS_BODY,
  OPENROUTER_REASONING_STREAM,
  OPENROUTER_USAGE,
  openRouterChunk,
  RESPONSES_SEARCH_BODY,
  RESPONSES_SEARCH_STREAM,
  SPEECH_STREAM,
  TRANSCRIPTION_DURATION_BODY,
  TRANSCRIPTION_STREAM,
  TRANSCRIPTION_TOKENS_BODY,
  TRANSCRIPTION_VERBOSE_BODY,
  XAI_BODY,
  XAI_STREAM,
} from './usage-shape-fixtures.js';

type Opts = Omit<MeterOptions, 'streamed' | 'stripUsage'>;

function body(opts: Opts, text: string | Buffer) {
  const meter = createResponseMeter({ ...opts, streamed: false, stripUsage: false });
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const half = Math.floor(bytes.length / 2);
  meter.push(bytes.subarray(0, half));
  meter.push(bytes.subarray(half));
  meter.flush();
  return { usage: meter.usage(), final: meter.final, model: meter.model };
}

/** Meters a stream three ways (per event, one push, 37-byte pieces) and checks they agree. */
function stream(opts: Opts, text: string) {
  const run = (pieces: Buffer[]) => {
    const meter = createResponseMeter({ ...opts, streamed: true, stripUsage: false });
    const out = Buffer.concat([...pieces.map((p) => meter.push(p)), meter.flush()]);
    return { out: out.toString('utf8'), usage: meter.usage(), final: meter.final, model: meter.model };
  };
  const bytes = Buffer.from(text);
  const odd: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 37) odd.push(bytes.subarray(at, at + 37));
  const byEvent = run(text.split(/(?<=\r?\n\r?\n)/).map((e) => Buffer.from(e)));
  expect(byEvent.out).toBe(text);
  expect(run([bytes])).toEqual(byEvent);
  expect(run(odd)).toEqual(byEvent);
  return byEvent;
}

const base = { cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
const openai = (endpoint: MeterOptions['endpoint'], baseUrl = 'https://api.openai.com/v1'): Opts => ({
  family: 'openai',
  endpoint,
  dialect: providerDialect({ kind: 'openai', baseUrl }),
});

describe('OpenAI chat: audio parts and service tier', () => {
  it('reads prompt/completion audio tokens and the top-level service_tier', () => {
    const r = body(openai('chat'), CHAT_AUDIO_BODY);
    expect(r.final).toBe(true);
    expect(r.usage).toEqual({
      inputTokens: 1200,
      cachedInputTokens: 128,
      cacheWriteTokens: 0,
      outputTokens: 900,
      reasoningTokens: 0,
      inputAudioTokens: 1000,
      outputAudioTokens: 800,
      serviceTier: 'priority',
    });
  });
});

describe('xAI: reasoning reported outside completion_tokens', () => {
  const XAI = {
    inputTokens: 32,
    cachedInputTokens: 6,
    cacheWriteTokens: 0,
    outputTokens: 103,
    reasoningTokens: 94,
  };
  const xai = openai('chat', 'https://api.x.ai/v1');

  it('adds reasoning_tokens into the output (9 + 94), streamed and not', () => {
    expect(body(xai, XAI_BODY).usage).toEqual(XAI);
    const s = stream(xai, XAI_STREAM);
    expect(s.usage).toEqual(XAI);
    expect(s.final).toBe(true);
    expect(s.model).toBe('grok-4-0709');
  });

  it('the dialect decides even without total_tokens; elsewhere the total proves it', () => {
    const noTotal = XAI_BODY.replace('"total_tokens":135,', '');
    expect(body(xai, noTotal).usage.outputTokens).toBe(103);
    // Any other host: reasoning is outside only when total = prompt + completion + reasoning.
    expect(body(openai('chat', 'https://gw.example.com/v1'), XAI_BODY).usage.outputTokens).toBe(103);
    expect(body(openai('chat', 'https://gw.example.com/v1'), noTotal).usage.outputTokens).toBe(9);
  });

  it("OpenAI's own reasoning stays inside completion_tokens", () => {
    const openaiBody = XAI_BODY.replace(
      '"completion_tokens":9,"total_tokens":135',
      '"completion_tokens":103,"total_tokens":135',
    );
    expect(body(openai('chat'), openaiBody).usage).toEqual(XAI);
  });
});

describe('DeepSeek: prompt_cache_hit_tokens / prompt_cache_miss_tokens', () => {
  it('takes the cache hits as cached input when prompt_tokens_details is absent', () => {
    const r = body(openai('chat', 'https://api.deepseek.com'), DEEPSEEK_BODY);
    expect(r.usage).toEqual({
      ...base,
      inputTokens: 1500,
      cachedInputTokens: 1280,
      outputTokens: 300,
      reasoningTokens: 120,
    });
  });
});

describe('OpenRouter: its own charge and cache writes', () => {
  const router = openai('chat', 'https://openrouter.ai/api/v1');

  it('takes usage.cost as the provider cost and cache_write_tokens as cache writes', () => {
    const s = stream(router, openRouterChunk(OPENROUTER_USAGE) + 'data: [DONE]\n\n');
    expect(s.usage).toEqual({
      ...base,
      inputTokens: 194,
      cacheWriteTokens: 100,
      outputTokens: 2,
      providerCostUsd: 0.000888,
    });
  });

  it('with the user own key (BYOK), adds the upstream inference cost to OpenRouter fee', () => {
    const byok = {
      ...OPENROUTER_USAGE,
      cost: 0.0000444,
      is_byok: true,
      cost_details: { upstream_inference_cost: 0.000888 },
    };
    const s = stream(router, openRouterChunk(byok));
    expect(s.usage.providerCostUsd).toBeCloseTo(0.0000444 + 0.000888, 15);
  });

  it('a free model costs exactly 0; an unlisted host is never trusted with `cost`', () => {
    expect(stream(router, openRouterChunk({ ...OPENROUTER_USAGE, cost: 0 })).usage.providerCostUsd).toBe(0);
    const other = stream(openai('chat', 'https://llm.example.com/v1'), openRouterChunk(OPENROUTER_USAGE));
    expect(other.usage.providerCostUsd).toBeUndefined();
  });

  it('reasoning text streamed as delta.reasoning counts in the running output, once', () => {
    const s = stream({ ...router, inputEstimate: 10 }, OPENROUTER_REASONING_STREAM);
    expect(s.final).toBe(false);
    expect(s.usage.outputTokens).toBe(
      countTokens('The user asks for a proof.') + countTokens(' Start with the base case.'),
    );
  });
});

describe('Responses API: web searches, tier, reasoning summaries', () => {
  const USAGE = {
    inputTokens: 9000,
    cachedInputTokens: 4096,
    cacheWriteTokens: 0,
    outputTokens: 700,
    reasoningTokens: 512,
    webSearchRequests: 2,
    serviceTier: 'flex',
  };

  it('counts each web_search_call output item and reads service_tier, streamed and not', () => {
    const r = body(openai('responses'), RESPONSES_SEARCH_BODY);
    expect(r.usage).toEqual(USAGE);
    expect(r.model).toBe('gpt-5-2025-08-07');
    const s = stream(openai('responses'), RESPONSES_SEARCH_STREAM);
    expect(s.usage).toEqual(USAGE);
    expect(s.final).toBe(true);
    expect(s.model).toBe('gpt-5-2025-08-07');
  });

  it('a cut stream counts the reasoning summary in its running output', () => {
    const cut = RESPONSES_SEARCH_STREAM.slice(
      0,
      RESPONSES_SEARCH_STREAM.indexOf('event: response.completed'),
    );
    const s = stream({ ...openai('responses'), inputEstimate: 9000 }, cut);
    expect(s.final).toBe(false);
    expect(s.usage.outputTokens).toBe(countTokens('Searching the web for it.') + countTokens('Found it.'));
  });
});

describe('Anthropic: 1-hour cache writes, web searches, tier and region', () => {
  const opts: Opts = { family: 'anthropic', endpoint: 'messages' };
  const USAGE = {
    inputTokens: 50 + 3000 + 20000,
    cachedInputTokens: 20000,
    cacheWriteTokens: 3000,
    outputTokens: 400,
    reasoningTokens: 0,
    cacheWrite1hTokens: 2000,
    webSearchRequests: 3,
    serviceTier: 'standard',
    inferenceGeo: 'us',
  };

  it('reads the TTL split of cache writes and the server tool use, streamed and not', () => {
    expect(body(opts, ANTHROPIC_FULL_BODY).usage).toEqual(USAGE);
    const s = stream(opts, ANTHROPIC_FULL_STREAM);
    expect(s.usage).toEqual(USAGE);
    expect(s.final).toBe(true);
  });

  it('fast mode (usage.speed) is recorded as the tier that served', () => {
    const fast = ANTHROPIC_FULL_BODY.replace(
      '"service_tier":"standard"',
      '"service_tier":"standard","speed":"fast"',
    );
    expect(body(opts, fast).usage.serviceTier).toBe('fast');
  });

  it('a cut stream counts redacted thinking in its running output', () => {
    const cut = ANTHROPIC_FULL_STREAM.slice(0, ANTHROPIC_FULL_STREAM.indexOf('event: message_delta'));
    const s = stream(opts, cut);
    expect(s.final).toBe(false);
    const data = /"data":"([^"]+)"/.exec(cut)?.[1] ?? '';
    // Anthropic's estimate is 3.5 characters per token: the encrypted thinking plus "Sunny.".
    expect(s.usage.outputTokens).toBe(Math.ceil((data.length + 'Sunny.'.length) / 3.5));
    expect(s.usage.cacheWrite1hTokens).toBe(ANTHROPIC_FULL_USAGE.cache_creation.ephemeral_1h_input_tokens);
  });
});

describe('OpenAI images', () => {
  it('gpt-image: text and image input tokens, image output tokens', () => {
    const r = body(openai('images'), IMAGE_TOKENS_BODY);
    expect(r.final).toBe(true);
    expect(r.usage).toEqual({
      ...base,
      inputTokens: 2290,
      inputImageTokens: 2250,
      outputTokens: 4160,
      outputImageTokens: 4160,
    });
  });

  it('dall-e answers report no usage: one unit per image in data', () => {
    const r = body(openai('images'), DALLE_BODY);
    expect(r.final).toBe(true);
    expect(r.usage).toEqual({ ...base, inputTokens: 0, outputTokens: 0, images: 2 });
  });

  it('a streamed generation is read from image_generation.completed', () => {
    const s = stream(openai('images'), IMAGE_STREAM);
    expect(s.final).toBe(true);
    expect(s.usage).toEqual({ ...base, inputTokens: 40, outputTokens: 1056, outputImageTokens: 1056 });
  });
});

describe('OpenAI audio', () => {
  it('transcription billed by tokens: audio input tokens', () => {
    const r = body(openai('audio_transcription'), TRANSCRIPTION_TOKENS_BODY);
    expect(r.usage).toEqual({ ...base, inputTokens: 14, inputAudioTokens: 14, outputTokens: 45 });
    expect(r.final).toBe(true);
  });

  it('transcription billed by duration: seconds, from usage or a verbose_json duration', () => {
    expect(body(openai('audio_transcription'), TRANSCRIPTION_DURATION_BODY).usage).toEqual({
      ...base,
      inputTokens: 0,
      outputTokens: 0,
      audioSeconds: 9,
    });
    expect(body(openai('audio_transcription'), TRANSCRIPTION_VERBOSE_BODY).usage.audioSeconds).toBe(
      8.470000267028809,
    );
  });

  it('a streamed transcription is read from transcript.text.done; cut, from its text', () => {
    const s = stream(openai('audio_transcription'), TRANSCRIPTION_STREAM);
    expect(s.usage).toEqual({ ...base, inputTokens: 14, inputAudioTokens: 4, outputTokens: 31 });
    const cut = stream(
      openai('audio_transcription'),
      TRANSCRIPTION_STREAM.slice(0, TRANSCRIPTION_STREAM.indexOf('data: {"type":"transcript.text.done"')),
    );
    expect(cut.final).toBe(false);
    const pieces = ['I', ' see skies of blue', ' and clouds of white.'];
    expect(cut.usage.outputTokens).toBe(pieces.reduce((n, p) => n + countTokens(p), 0));
  });

  it('speech: characters of the request, the audio bytes never parsed', () => {
    const audio = Buffer.from([0xff, 0xf3, 0x44, 0xc4, 0x00, 0x7b, 0x22]); // MP3 frame bytes, then a stray `{"`
    const r = body({ ...openai('audio_speech'), characters: 42 }, audio);
    expect(r.final).toBe(true);
    expect(r.usage).toEqual({ ...base, inputTokens: 0, outputTokens: 0, characters: 42 });
  });

  it('speech streamed as SSE: text tokens in, audio tokens out', () => {
    const s = stream({ ...openai('audio_speech'), characters: 37 }, SPEECH_STREAM);
    expect(s.usage).toEqual({
      ...base,
      inputTokens: 14,
      outputTokens: 101,
      outputAudioTokens: 101,
      characters: 37,
    });
  });
});
