// Gemini native usageMetadata through the response meter (endpoint `generate_content`): one body,
// a JSON array of chunks, and SSE chunks whose usage is cumulative (the last one wins).
import { describe, expect, it } from 'vitest';
import { createResponseMeter, type MeterOptions } from '../../../main/core/meter/index.js';
import { GEMINI_BODY, GEMINI_STREAM, GEMINI_STREAM_CHUNKS } from './usage-shape-fixtures.js';

const opts: MeterOptions = {
  family: 'openai',
  endpoint: 'generate_content',
  streamed: true,
  stripUsage: false,
};

// input = prompt 1200 (the 1000 cached included) + tool-use prompt 50; output = candidates 80 +
// thoughts 450 (billed as output, outside candidatesTokenCount); audio 100 of the prompt.
const USAGE = {
  inputTokens: 1250,
  cachedInputTokens: 1000,
  cacheWriteTokens: 0,
  outputTokens: 530,
  reasoningTokens: 450,
  inputAudioTokens: 100,
};

function meter(pieces: Buffer[], streamed = true, inputEstimate = 0) {
  const m = createResponseMeter({ ...opts, streamed, inputEstimate });
  const out = Buffer.concat([...pieces.map((p) => m.push(p)), m.flush()]);
  return { out: out.toString('utf8'), usage: m.usage(), final: m.final, model: m.model };
}

describe('Gemini generateContent usage', () => {
  it('reads a whole body: thoughts and tool-use prompt added, cached part of the prompt', () => {
    const r = meter([Buffer.from(GEMINI_BODY)], false);
    expect(r.usage).toEqual(USAGE);
    expect(r.final).toBe(true);
    expect(r.model).toBe('gemini-2.5-flash');
  });

  it('reads a JSON array of chunks (streamGenerateContent without alt=sse): the last usage', () => {
    const array = `[${GEMINI_STREAM_CHUNKS.map((c) => c.slice('data: '.length).trim()).join(',\r\n')}]`;
    const r = meter([Buffer.from(array)], false);
    expect(r.usage).toEqual(USAGE);
    expect(r.final).toBe(true);
  });

  it('SSE: the last cumulative usageMetadata, never a sum; per event, one push and 37-byte pieces agree', () => {
    const bytes = Buffer.from(GEMINI_STREAM);
    const odd: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 37) odd.push(bytes.subarray(at, at + 37));
    const byEvent = meter(GEMINI_STREAM_CHUNKS.map((c) => Buffer.from(c)));
    expect(byEvent.out).toBe(GEMINI_STREAM);
    expect(byEvent.usage).toEqual(USAGE);
    expect(byEvent.final).toBe(true);
    expect(byEvent.model).toBe('gemini-2.5-flash');
    expect(meter([bytes])).toEqual(byEvent);
    expect(meter(odd)).toEqual(byEvent);
  });

  it('a cut stream is not final and its running usage is the latest chunk (thoughts included)', () => {
    const cut = GEMINI_STREAM_CHUNKS.slice(0, 2).join('');
    const running = { ...USAGE, outputTokens: 40 + 450, inputAudioTokens: undefined };
    delete running.inputAudioTokens;
    for (const pieces of [[Buffer.from(cut)], GEMINI_STREAM_CHUNKS.slice(0, 2).map((c) => Buffer.from(c))]) {
      const r = meter(pieces, true, 7);
      expect(r.final).toBe(false);
      expect(r.usage).toEqual(running);
      expect(r.model).toBe('gemini-2.5-flash');
    }
  });

  it('the running usage follows each chunk as it arrives (what a budget check sees)', () => {
    const m = createResponseMeter({ ...opts, inputEstimate: 9 });
    expect(m.usage().inputTokens).toBe(9);
    const seen = GEMINI_STREAM_CHUNKS.map((c) => {
      m.push(Buffer.from(c));
      return m.usage().outputTokens;
    });
    expect(seen).toEqual([450, 490, 530]);
  });

  it('chunks without usageMetadata fall back to estimating the text', () => {
    const noUsage = GEMINI_STREAM_CHUNKS.slice(0, 2).map((c) => c.replace(/,"usageMetadata":\{[^}]*\}/, ''));
    const r = meter(
      noUsage.map((c) => Buffer.from(c)),
      true,
      5,
    );
    expect(r.final).toBe(false);
    // "Weighing the options…" (21) + "Héllo" (5) = 26 characters at 3.5 per token.
    expect(r.usage).toEqual({
      inputTokens: 5,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 8,
      reasoningTokens: 0,
    });
  });
});
