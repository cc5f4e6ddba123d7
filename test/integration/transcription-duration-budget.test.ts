// whisper-1 bills the seconds of audio it transcribes, which no field of the request says: only
// the uploaded file does. Read from a PCM WAV (its samples are its duration: no codec between the
// bytes and the seconds), a transcription is reserved at its real duration and, when its answer is
// never read, charged at it — never $0 (issue 11). A file whose duration Shimmy cannot read keeps
// the one-at-a-time rule (limits/budgets.ts, AdmitRequest.unbounded).
// Prices (the bundled @pydantic/genai-prices entries; openai.com/api/pricing, read 2026-11-29):
//   whisper-1 $0.006 per minute of audio ($0.36 per hour, `audio_hours`).
//   gpt-4o-transcribe $2.50 text in, $6 audio in, $10 out per 1M tokens; context window 16,000.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { CUT, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
/** What the provider does with the next transcriptions: answer with the audio's seconds, or cut. */
let mode: 'answer' | 'text' | 'cut' = 'answer';
/** Seconds of audio whisper-1 reports for each answer. */
let answerSeconds = 60;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider(() => {
    if (mode === 'cut') return CUT;
    // response_format "text" (or srt, vtt): the transcript alone, no usage.
    if (mode === 'text') return 'hi';
    return { text: 'hi', usage: { type: 'duration', seconds: answerSeconds } };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

/** A PCM WAV of `seconds` of silence: 16 kHz, mono, 16-bit (32,000 bytes per second). */
function wav(seconds: number): Uint8Array<ArrayBuffer> {
  const data = 32_000 * seconds;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(16_000, 24);
  b.writeUInt32LE(32_000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return new Uint8Array(b);
}

async function transcribe(
  token: string,
  model: string,
  file: Uint8Array<ArrayBuffer>,
  name = 'speech.wav',
  path = '/v1/audio/transcriptions',
) {
  const form = new FormData();
  form.set('model', model);
  form.set('file', new Blob([file], { type: 'audio/wav' }), name);
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  await res.arrayBuffer();
  return res.status;
}

const records = (tool: string) => h.records(tool);

it('a whisper-1 transcription whose answer is never read is charged its audio', async () => {
  // 60 s × $0.36 / 3,600 s = $0.006. Before: the worst case was null, so the unread answer was
  // charged nothing.
  const token = await h.tool('whisper-cut', { dailyUsd: 1 });
  mode = 'cut';
  expect(await transcribe(token, 'whisper-1', wav(60))).toBe(502);
  await expect.poll(async () => (await records('whisper-cut')).length).toBe(1);
  const [record] = await records('whisper-cut');
  expect(record).toMatchObject({ costUsd: 0.006, estimated: true });
});

it('20 whisper-1 transcriptions of 60 s at once against a $0.03/day budget: five go', async () => {
  // Each reserved at its 60 s, $0.006: five fit $0.03 at once, the rest are refused. Before: one
  // at a time (no worst case), so one went and $0.006 was spent.
  const token = await h.tool('whisper-many', { dailyUsd: 0.03 });
  mode = 'answer';
  answerSeconds = 60;
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => transcribe(token, 'whisper-1', wav(60))),
  );
  expect(statuses.filter((s) => s === 200).length).toBe(5);
  await expect.poll(async () => (await records('whisper-many')).length).toBe(20);
  const spent = (await records('whisper-many')).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  expect(spent).toBeCloseTo(0.03, 10);
});

it('a whisper-1 file whose duration Shimmy cannot read is still let through alone', async () => {
  // Not a WAV: nothing says its seconds, so no worst case; the first of two at once goes.
  const token = await h.tool('whisper-unknown', { dailyUsd: 1 });
  mode = 'answer';
  const statuses = await Promise.all(
    Array.from({ length: 2 }, () => transcribe(token, 'whisper-1', new Uint8Array(40_000), 'speech.mp3')),
  );
  expect(statuses.sort()).toEqual([200, 429]);
});

it('a gpt-4o-transcribe transcription whose answer is never read is charged its reservation', async () => {
  // Reserved with its context window of audio tokens and 4,096 output tokens: 16,000 × 6e-6 +
  // 4,096 × 10e-6 = $0.13696, plus the form's text fields (its model name) at $2.50 per 1M.
  const token = await h.tool('gpt4o-cut', { dailyUsd: 1 });
  mode = 'cut';
  expect(await transcribe(token, 'gpt-4o-transcribe', wav(60))).toBe(502);
  await expect.poll(async () => (await records('gpt4o-cut')).length).toBe(1);
  const [record] = await records('gpt4o-cut');
  expect(record!.estimated).toBe(true);
  expect(record!.costUsd).toBeGreaterThanOrEqual(0.13696);
  expect(record!.costUsd).toBeLessThan(0.1372);
});

it('a whisper-1 translation whose answer is never read is charged its audio', async () => {
  // 30 s × $0.36 / 3,600 s = $0.003. Before: nothing.
  const token = await h.tool('whisper-translate', { dailyUsd: 1 });
  mode = 'cut';
  expect(await transcribe(token, 'whisper-1', wav(30), 'speech.wav', '/v1/audio/translations')).toBe(502);
  await expect.poll(async () => (await records('whisper-translate')).length).toBe(1);
  const [record] = await records('whisper-translate');
  expect(record).toMatchObject({ costUsd: 0.003, estimated: true });
});

it('a whisper-1 answer without usage (response_format "text") is charged its audio', async () => {
  // The answer says nothing of its seconds: charged the 60 s its file holds, $0.006, estimated.
  // Before: unpriced (null), which a budget counts as nothing spent.
  const token = await h.tool('whisper-text', { dailyUsd: 1 });
  mode = 'text';
  expect(await transcribe(token, 'whisper-1', wav(60))).toBe(200);
  await expect.poll(async () => (await records('whisper-text')).length).toBe(1);
  const [record] = await records('whisper-text');
  expect(record).toMatchObject({ costUsd: 0.006, estimated: true });
});

it('without a budget, an answer without usage is recorded unpriced, not $0', async () => {
  // Before: $0, not estimated.
  const token = await h.tool('whisper-text-free');
  mode = 'text';
  expect(await transcribe(token, 'whisper-1', new Uint8Array(40_000), 'speech.mp3')).toBe(200);
  await expect.poll(async () => (await records('whisper-text-free')).length).toBe(1);
  const [record] = await records('whisper-text-free');
  expect(record).toMatchObject({ costUsd: null, estimated: true });
});
