// The whole usage breakdown, end to end: official SDKs → proxy → a loopback upstream replaying
// real provider answers → ledger (written, then read back by a restarted core) and the response
// cache (stored, then replayed after the restart).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../shared/ledger.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  ANTHROPIC_FULL_BODY,
  IMAGE_TOKENS_BODY,
  TRANSCRIPTION_DURATION_BODY,
} from '../unit/meter/usage-shape-fixtures.js';

/** Answers every request with the answer set for its path. */
interface Replay {
  url: string;
  answers: Map<string, { type: string; body: string | Buffer }>;
  hits: Map<string, number>;
  close(): Promise<void>;
}

async function startReplay(): Promise<Replay> {
  const answers = new Map<string, { type: string; body: string | Buffer }>();
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const a = answers.get(path);
      if (!a) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      res.writeHead(200, { 'content-type': a.type }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answers,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

let h: Harness;
let replay: Replay;
let token: string;

async function pointAt(harness: Harness): Promise<void> {
  await harness.admin.call('patchProvider', {
    params: { name: 'openai' },
    body: { baseUrl: `${replay.url}/v1` },
  });
  await harness.admin.call('patchProvider', { params: { name: 'anthropic' }, body: { baseUrl: replay.url } });
}

beforeAll(async () => {
  replay = await startReplay();
  h = await startHarness();
  await pointAt(h);
  token = await h.tool('shapes');
  await h.admin.call('patchSettings', { body: { cacheEnabled: true, cachePolicy: 'always' } });
});
afterAll(async () => {
  await h.close();
  await replay.close();
});

const records = async (harness: Harness): Promise<LedgerRecord[]> =>
  (await harness.admin.call('listRequests', { query: { tool: 'shapes' } })).records;
const byEndpoint = (rs: LedgerRecord[], endpoint: string) => rs.filter((r) => r.endpoint === endpoint);

const FULL_ANTHROPIC = {
  inputTokens: 23050,
  cachedInputTokens: 20000,
  cacheWriteTokens: 3000,
  outputTokens: 400,
  reasoningTokens: 0,
  cacheWrite1hTokens: 2000,
  webSearchRequests: 3,
  serviceTier: 'standard',
  inferenceGeo: 'us',
};

describe('the usage breakdown in the ledger and the cache', () => {
  it('records every dimension, keeps it across a restart, and replays it from the cache', async () => {
    replay.answers.set('/v1/messages', { type: 'application/json', body: ANTHROPIC_FULL_BODY });
    // text to speech: an MP3 answer; the characters come from the request's input.
    replay.answers.set('/v1/audio/speech', {
      type: 'audio/mpeg',
      body: Buffer.from([0xff, 0xf3, 0x44, 0xc4, 0x00, 0x00, 0x00, 0x03]),
    });
    // A Responses request with a stored prompt names no model: the answer does.
    replay.answers.set('/v1/responses', {
      type: 'application/json',
      body: JSON.stringify({
        id: 'resp_1',
        object: 'response',
        status: 'completed',
        model: 'gpt-5-2025-08-07',
        output: [
          {
            type: 'message',
            id: 'm1',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Hi', annotations: [] }],
          },
        ],
        usage: {
          input_tokens: 9000,
          input_tokens_details: { cached_tokens: 4096 },
          output_tokens: 700,
          output_tokens_details: { reasoning_tokens: 512 },
          total_tokens: 9700,
        },
      }),
    });

    const anthropic = new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });
    const ask = () =>
      anthropic.messages.create({
        model: 'claude-opus-4-5',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'weather?' }],
      });
    await ask();
    const openai = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const audio = await openai.audio.speech.create({
      model: 'tts-1',
      voice: 'alloy',
      input: 'Héllo 世界 🎉',
    });
    expect(Buffer.from(await audio.arrayBuffer())).toHaveLength(8);
    await openai.responses.create({ prompt: { id: 'pmpt_68c1', version: '2' }, input: 'hi' });

    await expect.poll(async () => (await records(h)).length).toBe(3);
    const first = await records(h);
    expect(byEndpoint(first, 'messages')[0]!.usage).toEqual(FULL_ANTHROPIC);
    const speech = byEndpoint(first, 'audio_speech')[0]!;
    // "Héllo 世界 🎉": 10 characters (code points; the emoji is one).
    expect(speech.usage.characters).toBe(10);
    expect(speech.model).toBe('tts-1');
    const stored = byEndpoint(first, 'responses')[0]!;
    expect(stored.model).toBe('gpt-5-2025-08-07');
    // gpt-5 at $1.25 in / $0.125 cached / $10 out per 1M (openai.com/api/pricing, 2025-08-07):
    // 4904×1.25e-6 + 4096×0.125e-6 + 700×10e-6 = 0.00613 + 0.000512 + 0.007 = $0.013642
    expect(stored.costUsd).toBeCloseTo(0.013642, 12);

    // The usage rows sum the dimensions billed apart.
    const row = async () =>
      (await h.admin.call('usage', { query: { by: 'tool' } })).find((r) => r.tool === 'shapes');
    expect(await row()).toMatchObject({ requests: 3, cacheWrite1hTokens: 2000, webSearchRequests: 3 });

    // A restarted core reads the same records back from its ledger, and replays the cached answer
    // with its whole usage.
    await h.core.close();
    h = await startHarness({ dataDir: h.dataDir, keychainService: h.keychainService });
    await pointAt(h);
    expect(await row()).toMatchObject({ requests: 3, cacheWrite1hTokens: 2000, webSearchRequests: 3 });
    const reread = await records(h);
    expect(byEndpoint(reread, 'messages')[0]!.usage).toEqual(FULL_ANTHROPIC);
    expect(byEndpoint(reread, 'audio_speech')[0]!.usage.characters).toBe(10);

    const before = replay.hits.get('/v1/messages');
    const again = new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });
    const hit = await again.messages
      .create({
        model: 'claude-opus-4-5',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'weather?' }],
      })
      .withResponse();
    expect(hit.response.headers.get('x-shimmy-cache')).toBe('hit');
    expect(replay.hits.get('/v1/messages')).toBe(before);
    await expect.poll(async () => byEndpoint(await records(h), 'messages').length).toBe(2);
    const replayed = byEndpoint(await records(h), 'messages').find((r) => r.cacheHit)!;
    expect(replayed.usage).toEqual(FULL_ANTHROPIC);
  });

  it('reads the model of a multipart request (transcriptions, image edits) from its form', async () => {
    replay.answers.set('/v1/audio/transcriptions', {
      type: 'application/json',
      body: TRANSCRIPTION_DURATION_BODY,
    });
    replay.answers.set('/v1/images/edits', { type: 'application/json', body: IMAGE_TOKENS_BODY });
    const openai = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const wav = await toFile(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), 'hello.wav', { type: 'audio/wav' });
    await openai.audio.transcriptions.create({ file: wav, model: 'whisper-1' });
    const png = await toFile(Buffer.from('\x89PNG\r\n\x1a\n'), 'otter.png', { type: 'image/png' });
    await openai.images.edit({ image: png, prompt: 'add a hat', model: 'gpt-image-1' });

    await expect.poll(async () => byEndpoint(await records(h), 'images').length).toBe(1);
    const rs = await records(h);
    const transcription = byEndpoint(rs, 'audio_transcription')[0]!;
    expect(transcription.model).toBe('whisper-1');
    expect(transcription.usage.audioSeconds).toBe(9);
    const edit = byEndpoint(rs, 'images')[0]!;
    expect(edit.model).toBe('gpt-image-1');
    expect(edit.usage).toMatchObject({ inputTokens: 2290, inputImageTokens: 2250, outputImageTokens: 4160 });
  });
});
