// Audio sent as input is billed at its own rate, far above text: gpt-audio $32 per 1M audio input
// tokens against $2.50 for text; gemini-2.5-flash $1.00 against $0.30. Shimmy counted a clip's
// tokens by its duration (10 a second for OpenAI, 32 for Gemini) but reserved them at the text
// rate, so a budget paid for a twelfth of what a gpt-audio request with audio costs (found by
// red14, 2026-11-29).
// Prices (the bundled @pydantic/genai-prices catalog, as openai.com/api/pricing and
// ai.google.dev/gemini-api/docs/pricing list them, read 2026-11-29): gpt-audio $2.50 text in, $32
// audio in, $10 text out per 1M; gemini-2.5-flash $0.30 text in, $1.00 audio in, $2.50 out per 1M.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

/** A WAV of `seconds` of silence at 8 kHz, 8-bit mono: 8,000 bytes a second. `byteRate` is the
 *  header's own figure, which no decoder needs (it is sample rate × block align). */
function wav(seconds: number, byteRate = 8000): string {
  const data = 8000 * seconds;
  const b = Buffer.alloc(44 + data, 0x80);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24); // sample rate
  b.writeUInt32LE(byteRate, 28);
  b.writeUInt16LE(1, 32); // block align
  b.writeUInt16LE(8, 34); // bits per sample
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(data, 40);
  return b.toString('base64');
}

/** The duration a decoder plays: the data chunk over sample rate × block align. */
function wavSeconds(base64: string): number {
  const b = Buffer.from(base64, 'base64');
  return b.readUInt32LE(40) / (b.readUInt32LE(24) * b.readUInt16LE(32));
}

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;
const TEXT_TOKENS = 10;

beforeAll(async () => {
  h = await startHarness();
  // Bills the audio by its duration, at the documented token rates, and writes the output limit.
  provider = await startJsonProvider((path, b) => {
    if (path.includes(':generateContent')) {
      const parts = (b.contents as Array<{ parts: Array<{ inlineData?: { data: string } }> }>)[0]!.parts;
      const audio = Math.ceil(wavSeconds(parts.find((p) => p.inlineData)!.inlineData!.data) * 32);
      const output = Number((b.generationConfig as { maxOutputTokens: number }).maxOutputTokens);
      billedUsd += TEXT_TOKENS * 0.3e-6 + audio * 1e-6 + output * 2.5e-6;
      return {
        candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
        usageMetadata: {
          promptTokenCount: TEXT_TOKENS + audio,
          candidatesTokenCount: output,
          totalTokenCount: TEXT_TOKENS + audio + output,
          promptTokensDetails: [
            { modality: 'TEXT', tokenCount: TEXT_TOKENS },
            { modality: 'AUDIO', tokenCount: audio },
          ],
        },
        modelVersion: 'gemini-2.5-flash',
      };
    }
    const messages = b.messages as Array<{ content: Array<{ input_audio?: { data: string } }> }>;
    const clip = messages[0]!.content.find((p) => p.input_audio)!.input_audio!.data;
    const audio = Math.ceil(wavSeconds(clip) * 10);
    const output = Number(b.max_completion_tokens);
    billedUsd += TEXT_TOKENS * 2.5e-6 + audio * 32e-6 + output * 10e-6;
    return {
      id: 'chatcmpl-a',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-audio',
      service_tier: 'default',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }],
      usage: {
        prompt_tokens: TEXT_TOKENS + audio,
        completion_tokens: output,
        total_tokens: TEXT_TOKENS + audio + output,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: audio },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    };
  });
  await h.point('openai', provider.url);
  await h.point('google', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

const chat = (token: string, clip: string) =>
  fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-audio',
      service_tier: 'default',
      max_completion_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is said?' },
            { type: 'input_audio', input_audio: { data: clip, format: 'wav' } },
          ],
        },
      ],
    }),
  }).then(async (r) => (await r.text(), r.status));

it('10 gpt-audio requests at once, each with a minute of audio, on a $0.05/day budget', async () => {
  const token = await h.tool('audio-in', { dailyUsd: 0.05 });
  const before = billedUsd;
  const clip = wav(60);
  // Each: 600 audio tokens × 32e-6 + 10 × 2.5e-6 + 100 × 10e-6 = $0.020225; two fit in $0.05.
  // Reserved with the audio at the text rate (~$0.0025 each), all ten went out.
  const statuses = await Promise.all(Array.from({ length: 10 }, () => chat(token, clip)));
  const billed = billedUsd - before;
  await expect.poll(() => h.spentBy('audio-in')).toBeCloseTo(billed, 10);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
});

it('10 gemini-2.5-flash requests at once, each with ten minutes of audio, on a $0.05/day budget', async () => {
  const token = await h.tool('gemini-audio-in', { dailyUsd: 0.05 });
  const before = billedUsd;
  const clip = wav(600);
  // Each: 19,200 audio tokens × 1e-6 + 10 × 0.3e-6 + 100 × 2.5e-6 = $0.019453; two fit in $0.05.
  const statuses = await Promise.all(
    Array.from({ length: 10 }, () =>
      fetch(`${h.core.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
        body: JSON.stringify({
          contents: [
            {
              role: 'user',
              parts: [{ text: 'What is said?' }, { inlineData: { mimeType: 'audio/wav', data: clip } }],
            },
          ],
          generationConfig: { maxOutputTokens: 100 },
        }),
      }).then(async (r) => (await r.text(), r.status)),
    ),
  );
  const billed = billedUsd - before;
  await expect.poll(() => h.spentBy('gemini-audio-in')).toBeCloseTo(billed, 10);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
});

// A WAV header's byte rate (bytes 28–31) is the client's to write and no decoder reads it — they
// play the data at sample rate × block align. Timed by that field, a minute of audio whose header
// said 8,000,000 bytes a second was counted as 0.06 s, 1 token: ten such requests billed
// $0.182025 on a $0.05 budget (found by red14, 2026-11-29). meter/attachment-tokens.ts now times a
// WAV at the slower of the two.
it('a minute of audio whose WAV header claims a byte rate 1,000× too high', async () => {
  const token = await h.tool('audio-in-spoofed', { dailyUsd: 0.05 });
  const before = billedUsd;
  const clip = wav(60, 8_000_000);
  const statuses = await Promise.all(Array.from({ length: 10 }, () => chat(token, clip)));
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
});
