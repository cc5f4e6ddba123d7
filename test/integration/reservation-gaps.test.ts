// Requests whose answer can cost more than what admit reserved for them, so a USD budget does not
// hold (README, Budgets: "no answer can cost more than its reservation"). Each case goes through
// the real proxy to a loopback provider that always writes to the output limit it was sent (the
// worst case a budget must hold against) and bills the way the real provider documents; the test
// then checks the ledger's spend against the budget.
// Prices, read 2026-11-27 (the same sources the pricing conformance cases cite):
//   claude-opus-4-6 $5 in / $25 out per 1M; fast mode (`speed: "fast"`) $30 / $150, 6×
//   (https://platform.claude.com/docs/en/build-with-claude/fast-mode); `inference_geo: "us"` 1.1×
//   (https://support.claude.com/en/articles/15422948).
//   gpt-5 $1.25 in / $10 out per 1M; Priority processing $2.50 / $20, 2×
//   (https://openai.com/api-priority-processing/).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';

/** What the loopback provider bills: `input` tokens read, every answer written to its limit. */
interface Provider {
  url: string;
  /** Input tokens the next answers report. */
  input: number;
  /** Chat/Responses: the tier the provider serves a request at that names none (or `auto`): the
   *  project's default tier in OpenAI's settings. */
  projectTier: string;
  /** Transcriptions: the seconds of audio each answer reports. */
  audioSeconds: number;
  /** gpt-4o-transcribe: the audio tokens read and the transcript's tokens each answer reports. */
  audioTokens: number;
  transcriptTokens: number;
  /** Messages: the service_tier the answers report (Anthropic Priority Tier: "priority"). */
  anthropicTier?: string;
  /** Responses: tokens of the stored conversation a `previous_response_id` continues. */
  stored: number;
  received: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  const state: Provider = {
    url: '',
    input: 10,
    projectTier: 'default',
    stored: 0,
    audioSeconds: 60,
    audioTokens: 0,
    transcriptTokens: 0,
    received: [],
    close: async () => undefined,
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/v1/audio/transcriptions') {
      // whisper-1 reports the seconds of audio it transcribed (billed per minute); gpt-4o-transcribe
      // the audio tokens it read and the text tokens it wrote. It answers after a moment, as a
      // real transcription does: the requests are in flight together.
      await new Promise((r) => setTimeout(r, 300));
      const tokens = Buffer.concat(chunks).includes('gpt-4o-transcribe');
      const usage = tokens
        ? {
            type: 'tokens',
            input_tokens: state.audioTokens,
            input_token_details: { audio_tokens: state.audioTokens, text_tokens: 0 },
            output_tokens: state.transcriptTokens,
            total_tokens: state.audioTokens + state.transcriptTokens,
          }
        : { type: 'duration', seconds: state.audioSeconds };
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ text: 'hi', usage }));
    }
    const b = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    state.received.push(b);
    const send = (v: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    const model = String(b.model);
    const gemini = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(path ?? '');
    if (gemini) {
      // Gemini reports image output tokens apart (candidatesTokensDetails, modality IMAGE): an
      // answer with images is all image tokens but a 130-token caption. An image model answers in
      // text and images unless responseModalities says otherwise ("The model defaults to returning
      // text and image responses (i.e. response_modalities=['Text', 'Image'])",
      // ai.google.dev/gemini-api/docs/image-generation, read 2026-11-29).
      const config = (b.generationConfig ?? {}) as Record<string, unknown>;
      const out = Number(config.maxOutputTokens);
      // A body holding both spellings of the config: this server reads generation_config's
      // modalities (which one Google reads is not documented: README, Budgets).
      const snake = (b.generation_config ?? {}) as Record<string, unknown>;
      const modalities = snake.responseModalities ?? config.responseModalities;
      const images = Array.isArray(modalities)
        ? modalities.includes('IMAGE')
        : /-image/.test(gemini[1] ?? '');
      return send({
        candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, index: 0, finishReason: 'STOP' }],
        usageMetadata: {
          promptTokenCount: state.input,
          candidatesTokenCount: out,
          totalTokenCount: state.input + out,
          ...(images
            ? {
                candidatesTokensDetails: [
                  { modality: 'IMAGE', tokenCount: out - 130 },
                  { modality: 'TEXT', tokenCount: 130 },
                ],
              }
            : {}),
        },
        modelVersion: gemini[1],
      });
    }
    if (path === '/v1/messages') {
      // The Messages API reports the speed and region it served at in `usage`.
      const usage: Record<string, unknown> = { input_tokens: state.input, output_tokens: b.max_tokens };
      // The server-side web search tool runs up to its `max_uses` searches, each billed apart.
      const search = Array.isArray(b.tools)
        ? (b.tools as Array<Record<string, unknown>>).find((t) => String(t.type).startsWith('web_search_'))
        : undefined;
      if (search) usage.server_tool_use = { web_search_requests: Number(search.max_uses) };
      if (b.speed === 'fast') usage.speed = 'fast';
      // An organisation with Priority Tier capacity is served there under service_tier "auto"
      // (the default), and the usage says so.
      if (state.anthropicTier) usage.service_tier = state.anthropicTier;
      if (typeof b.inference_geo === 'string') usage.inference_geo = b.inference_geo;
      return send({
        id: 'msg_x',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage,
      });
    }
    // OpenAI: a request that names no tier, or `auto`, is served at the project's default tier,
    // and the answer says which tier that was.
    const asked =
      typeof b.service_tier === 'string' && b.service_tier !== 'auto' ? b.service_tier : undefined;
    const tier = asked ?? state.projectTier;
    if (path === '/vllm/v1/chat/completions') {
      // A server that validates with pydantic in lax mode (vLLM) reads a numeric string as its
      // number: `n: "8"` is eight answers, each up to max_tokens.
      const n = Number(b.n ?? 1);
      const out = Number(b.max_tokens) * n;
      return send({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model,
        choices: Array.from({ length: n }, (_, index) => ({
          index,
          message: { role: 'assistant', content: 'ok' },
          finish_reason: 'length',
        })),
        usage: { prompt_tokens: state.input, completion_tokens: out, total_tokens: state.input + out },
      });
    }
    if (path === '/v1/chat/completions' || path === '/deepseek/v1/chat/completions') {
      // DeepSeek's chat API knows only `max_tokens` (default 4,096; api-docs.deepseek.com, "Create
      // Chat Completion"): an OpenAI-only field such as max_completion_tokens is ignored.
      const out =
        path === '/deepseek/v1/chat/completions'
          ? typeof b.max_tokens === 'number'
            ? b.max_tokens
            : 4096
          : Number(b.max_completion_tokens ?? b.max_tokens);
      return send({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model,
        service_tier: tier,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }],
        usage: {
          prompt_tokens: state.input,
          completion_tokens: out,
          total_tokens: state.input + out,
          // A spoken answer: all but a 100-token transcript is audio.
          ...(Array.isArray(b.modalities) && b.modalities.includes('audio')
            ? { completion_tokens_details: { audio_tokens: out - 100, reasoning_tokens: 0 } }
            : {}),
        },
      });
    }
    if (path === '/v1/responses') {
      const out = Number(b.max_output_tokens);
      // The input of a response that continues another is that one's input and output too.
      const input = state.input + (typeof b.previous_response_id === 'string' ? state.stored : 0);
      return send({
        id: 'resp_x',
        object: 'response',
        created_at: 1,
        status: 'incomplete',
        model,
        service_tier: tier,
        output: [
          {
            type: 'message',
            id: 'msg_x',
            status: 'incomplete',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'ok', annotations: [] }],
          },
        ],
        usage: {
          input_tokens: input,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: out,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: input + out,
        },
      });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}

let h: Harness;
let up: Provider;
beforeAll(async () => {
  h = await startHarness();
  up = await startProvider();
  for (const name of ['openai', 'anthropic', 'google'] as const) await h.point(name, up.url);
  await h.admin.call('addProvider', {
    body: { name: 'deepseek', kind: 'openai', baseUrl: `${up.url}/deepseek/v1`, priceProvider: 'deepseek' },
  });
  await h.admin.call('putKey', { body: { provider: 'deepseek', key: 'sk-test-deepseek-key-3333ABCD' } });
  await h.admin.call('addProvider', { body: { name: 'vllm', kind: 'openai', baseUrl: `${up.url}/vllm/v1` } });
  await h.admin.call('putKey', { body: { provider: 'vllm', key: 'sk-test-vllm-key-4444EFGH' } });
  // A self-hosted model has no catalog price: the user sets one (USD per 1M tokens).
  await h.admin.call('putPrice', { params: { model: 'llama-3.1-70b' }, body: { input: 1, output: 10 } });
});
afterAll(async () => {
  await h.close();
  await up.close();
});

const post = (token: string, path: string, body: unknown) => postStatus(h, path, token, body);

/** Sends `body` to `path` as a new tool `tool` on a `dailyUsd`/day budget; once its answer (200) is
 *  recorded, what the tool spent. */
async function spentOn(tool: string, dailyUsd: number, path: string, body: unknown): Promise<number> {
  const token = await h.tool(tool, { dailyUsd });
  expect(await post(token, path, body)).toBe(200);
  await expect.poll(() => h.spentBy(tool)).toBeGreaterThan(0);
  return h.spentBy(tool);
}

/** The statuses of `times` requests of `body` to `path`, one after another, with `token`. */
async function statusesOf(times: number, token: string, path: string, body: unknown): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push(await post(token, path, body));
  return statuses;
}

/** The statuses of `count` transcriptions by `model` of a `bytes`-byte file, sent at once. */
function transcribeAtOnce(token: string, model: string, bytes: number, count: number): Promise<number[]> {
  const send = async () => {
    const form = new FormData();
    form.set('model', model);
    form.set('file', new Blob([new Uint8Array(bytes)], { type: 'audio/mpeg' }), 'speech.mp3');
    const res = await fetch(`${h.core.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    await res.arrayBuffer();
    return res.status;
  };
  return Promise.all(Array.from({ length: count }, send));
}

describe('a tier the request asks for is reserved at its price', () => {
  it('Anthropic fast mode (speed: "fast", 6×) on a $1/day budget', async () => {
    // "hi" is 7 input tokens as Claude counts it (Shimmy's estimate, 8, is above it).
    up.input = 7;
    // At the standard price, 32,000 output tokens cost 32,000 × $25/1M = $0.80: under $1, so the
    // request goes out uncapped. Fast mode bills them at $150/1M: 7 × 30e-6 + 32,000 × 150e-6 =
    // $4.80021, 4.8× the budget. Reserved at the fast price, it is capped to
    // floor((1 − 8 × 30e-6) / 150e-6) = 6,665 tokens: 7 × 30e-6 + 6,665 × 150e-6 = $0.99996.
    const spent = await spentOn('fast-mode', 1, '/v1/messages', {
      model: 'claude-opus-4-6',
      max_tokens: 32_000,
      speed: 'fast',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(spent).toBeLessThanOrEqual(1);
  });

  it('Anthropic US-only inference (inference_geo: "us", 1.1×) on a $0.85/day budget', async () => {
    up.input = 7;
    // Standard: 7 × 5e-6 + 32,000 × 25e-6 = $0.800035, fits $0.85 uncapped. Billed at 1.1×:
    // $0.8800385, over the budget.
    const spent = await spentOn('us-geo', 0.85, '/v1/messages', {
      model: 'claude-opus-4-6',
      max_tokens: 32_000,
      inference_geo: 'us',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(spent).toBeLessThanOrEqual(0.85);
  });
});

describe('a tier the request does not name', () => {
  it("OpenAI serves a request without service_tier at the project's default tier (priority, 2×)", async () => {
    // OpenAI: service_tier defaults to "auto", "processed with the service tier configured in the
    // Project settings" (platform.openai.com/docs/api-reference/chat/create, read 2026-11-29); the
    // answer's service_tier says "priority" for a project set to Priority processing.
    up.input = 8;
    up.projectTier = 'priority';
    // Standard: 8 × 1.25e-6 + 8,000 × 10e-6 = $0.08001, fits $0.10 uncapped. Billed at priority,
    // 8 × 2.5e-6 + 8,000 × 20e-6 = $0.16002.
    try {
      const spent = await spentOn('project-priority', 0.1, '/v1/chat/completions', {
        model: 'gpt-5',
        max_completion_tokens: 8000,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(spent).toBeLessThanOrEqual(0.1);
    } finally {
      up.projectTier = 'default';
    }
  });
});

describe('input the body does not carry', () => {
  it('a Responses request that continues a stored response (previous_response_id)', async () => {
    // The request is "hi" and 1,000 output tokens: 8 × 1.25e-6 + 1,000 × 10e-6 = $0.01001, well
    // inside $0.10. The response it continues holds 200,000 tokens of conversation, billed as
    // input ("previous input tokens in the chain are billed as input tokens",
    // platform.openai.com/docs/guides/conversation-state, read 2026-11-29):
    // 200,008 × 1.25e-6 + 1,000 × 10e-6 = $0.25001 + $0.01 = $0.26001.
    // Shimmy did not relay resp_earlier, so it reserves the continuation at gpt-5's whole context
    // window (stored-responses.ts): refused on $0.10, and nothing is spent. (A continuation of an
    // answer it relayed: stored-conversation-budget.test.ts.)
    const token = await h.tool('continues', { dailyUsd: 0.1 });
    up.input = 8;
    up.stored = 200_000;
    const status = await post(token, '/v1/responses', {
      model: 'gpt-5',
      max_output_tokens: 1000,
      previous_response_id: 'resp_earlier',
      input: 'hi',
    });
    up.stored = 0;
    expect(status).toBe(429);
    expect(await h.spentBy('continues')).toBe(0);
  });
});

describe('per-call fees of server tools', () => {
  it('Anthropic web search ($10 per 1,000 searches) on a $0.05/day budget', async () => {
    // claude-sonnet-4-5: $3 in / $15 out per 1M; web search $10 per 1,000 searches
    // (https://docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool, read 2026-11-29).
    // Tokens: 7 × 3e-6 + 1,024 × 15e-6 = $0.015381, inside $0.05. With its 10 searches:
    // + 10 × $0.01 = $0.115381.
    const token = await h.tool('web-search', { dailyUsd: 0.05 });
    up.input = 7;
    // Sent (capped) or refused: either way the spend stays within the budget.
    await post(token, '/v1/messages', {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 10 }],
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect.poll(async () => (await h.records('web-search')).length).toBe(1);
    expect(await h.spentBy('web-search')).toBeLessThanOrEqual(0.05);
  });
});

describe('output the request asks for in a dearer modality', () => {
  /** Three cats from gemini-2.5-flash-image for a new tool on a $0.05/day budget, with `configs`
   *  in the body; resolves once the answer is recorded, with what the tool spent. */
  async function paint(tool: string, configs: Record<string, unknown>): Promise<number> {
    up.input = 8;
    return spentOn(tool, 0.05, '/v1beta/models/gemini-2.5-flash-image:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'three cats' }] }],
      ...configs,
    });
  }

  it('a Gemini answer with images (responseModalities IMAGE) on a $0.05/day budget', async () => {
    // gemini-2.5-flash-image: $0.30 in, $2.50 text out, $30 image out per 1M (the bundled
    // @pydantic/genai-prices entry; ai.google.dev/gemini-api/docs/pricing). At the text rate
    // 4,000 output tokens cost 8 × 0.3e-6 + 4,000 × 2.5e-6 = $0.0100024: inside $0.05, uncapped.
    // Three 1,290-token images and a caption: 8 × 0.3e-6 + 130 × 2.5e-6 + 3,870 × 30e-6 =
    // $0.0000024 + $0.000325 + $0.1161 = $0.1164274.
    expect(
      await paint('painter', {
        generationConfig: { maxOutputTokens: 4000, responseModalities: ['TEXT', 'IMAGE'] },
      }),
    ).toBeLessThanOrEqual(0.05);
  });

  it('a Gemini image model that names no responseModalities (it answers in images by default)', async () => {
    // gemini-2.5-flash-image: $0.30 in, $2.50 text out, $30 image out per 1M (the bundled
    // @pydantic/genai-prices entry; ai.google.dev/gemini-api/docs/pricing, read 2026-11-29). The
    // body of Google's own REST example names no generationConfig at all; the model answers in
    // text and images (see the fake above). Reserved at the text rate, 4,000 output tokens cost
    // 8 × 0.3e-6 + 4,000 × 2.5e-6 = $0.0100024: inside $0.05, sent uncapped. Written as three
    // 1,290-token images and a caption: 8 × 0.3e-6 + 130 × 2.5e-6 + 3,870 × 30e-6 = $0.1164274,
    // 2.3× the budget.
    expect(
      await paint('default-painter', { generationConfig: { maxOutputTokens: 4000 } }),
    ).toBeLessThanOrEqual(0.05);
  });

  it('a Gemini body whose generation_config asks for images beside a generationConfig that does not', async () => {
    // As above ($0.30 in, $2.50 text out, $30 image out per 1M): reserved at the text rate the
    // generationConfig names, sent uncapped with maxOutputTokens 4,000, and answered with three
    // images by a server that reads generation_config: $0.1164274 on $0.05.
    expect(
      await paint('snake-painter', {
        generationConfig: { maxOutputTokens: 4000, responseModalities: ['TEXT'] },
        generation_config: { responseModalities: ['TEXT', 'IMAGE'] },
      }),
    ).toBeLessThanOrEqual(0.05);
  });

  it('an OpenAI chat answer in audio (modalities: ["text", "audio"]) on a $0.10/day budget', async () => {
    // gpt-audio: text $2.50 in / $10 out, audio $32 in / $64 out per 1M (the bundled
    // @pydantic/genai-prices entry; platform.openai.com/docs/models/gpt-audio, read 2026-11-29).
    // At the text price 8,000 output tokens cost 8 × 2.5e-6 + 8,000 × 10e-6 = $0.08002: under
    // $0.10, uncapped. Spoken, 7,900 of them are audio: 8 × 2.5e-6 + 100 × 10e-6 + 7,900 × 64e-6
    // = $0.00002 + $0.001 + $0.5056 = $0.50662.
    up.input = 8;
    const spent = await spentOn('spoken', 0.1, '/v1/chat/completions', {
      model: 'gpt-audio',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      max_completion_tokens: 8000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(spent).toBeLessThanOrEqual(0.1);
  });
});

describe('an output limit the provider does not read', () => {
  // deepseek-chat: $0.27 in / $1.10 out per 1M (the bundled @pydantic/genai-prices entry for
  // provider deepseek, used through the provider's priceProvider).
  it('max_completion_tokens: 100 beside max_tokens: 8,000, to a provider that reads max_tokens', async () => {
    // Admit reads max_completion_tokens first: 100 output tokens, $0.00011 + input, well inside
    // $0.005. DeepSeek reads max_tokens and writes 8,000: 8 × 0.27e-6 + 8,000 × 1.1e-6 =
    // $0.00880216, 1.76× the budget.
    up.input = 8;
    const spent = await spentOn('two-limits', 0.005, '/v1/chat/completions', {
      model: 'deepseek/deepseek-chat',
      max_completion_tokens: 100,
      max_tokens: 8000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(spent).toBeLessThanOrEqual(0.005);
  });

  it('max_completion_tokens alone (what the OpenAI SDK documents), to a provider that reads max_tokens', async () => {
    // Admit reserves 100 output tokens; DeepSeek ignores the field and writes up to its default
    // 4,096: 8 × 0.27e-6 + 4,096 × 1.1e-6 = $0.00450776 on a $0.002 budget.
    up.input = 8;
    const spent = await spentOn('completion-limit-only', 0.002, '/v1/chat/completions', {
      model: 'deepseek/deepseek-chat',
      max_completion_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(spent).toBeLessThanOrEqual(0.002);
  });
});

describe('an answer Shimmy cannot price, admitted under a USD budget', () => {
  // Admit priced these requests (text rates, standard tier), so they passed the unpriced-model
  // check; their answers name a dimension or tier the price has no rate for, so the ledger records
  // them unpriced (costUsd null), and a budget counts null as $0: the next request is admitted as
  // if nothing had been spent. Each of these answers costs real money.
  it('spoken answers of gpt-4o-audio-preview (no audio price in the catalog) on a $0.05/day budget', async () => {
    // gpt-4o-audio-preview: $2.50 / $10 text, $40 / $80 audio per 1M (platform.openai.com/docs/pricing
    // as listed in 2025; not re-read here, no internet; the bundled catalog entry has the text
    // rates only). One answer of 1,000 tokens, 900 of them audio: 8 × 2.5e-6 + 100 × 10e-6 +
    // 900 × 80e-6 = $0.07302, more than the whole budget; each is reserved at the text price
    // (8 × 2.5e-6 + 1,000 × 10e-6 = $0.01002), so the first goes out, and after its answer
    // nothing is left for a second.
    const token = await h.tool('spoken-unpriced', { dailyUsd: 0.05 });
    up.input = 8;
    const statuses = await statusesOf(5, token, '/v1/chat/completions', {
      model: 'gpt-4o-audio-preview',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      max_completion_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
  });

  it('Claude answers served at Anthropic Priority Tier (no published per-token price) on a $0.05/day budget', async () => {
    // claude-sonnet-4-5 $3 / $15 per 1M: 1,024 output tokens reserve 7 × 3e-6 + 1,024 × 15e-6 =
    // $0.015381, so a $0.05 budget has room for three at the standard rate. Priority Tier costs at
    // least that (it is sold by commitment, https://docs.claude.com/en/api/service-tiers, read
    // 2026-11-29); the answers record null and the budget never fills.
    const token = await h.tool('priority-tier', { dailyUsd: 0.05 });
    up.input = 7;
    up.anthropicTier = 'priority';
    const statuses = await statusesOf(8, token, '/v1/messages', {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'hi' }],
    });
    up.anthropicTier = undefined;
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
  });
});

describe('concurrent transcriptions, whose cost is the audio the request does not describe', () => {
  it('20 whisper-1 transcriptions at once against a $0.03/day budget', async () => {
    // whisper-1: $0.006 per minute ($0.36 per hour: the bundled @pydantic/genai-prices entry;
    // openai.com/api/pricing, read 2026-11-29). Each file is 60 s of audio (240,000 bytes at
    // 32 kbit/s): $0.006, so $0.03 has room for five. Nothing in the request bounds the seconds
    // billed (the worst case is null), and a null worst case only met "spent < limit": all 20
    // went, $0.12. One at a time is let through instead (AdmitRequest.unbounded): the others are
    // refused while the first is in flight, $0.006.
    const token = await h.tool('transcriber', { dailyUsd: 0.03 });
    up.audioSeconds = 60;
    const statuses = await transcribeAtOnce(token, 'whisper-1', 240_000, 20);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    await expect.poll(async () => (await h.records('transcriber')).length).toBe(20);
    // 60 s × $0.36 / 3,600 s = $0.006 each.
    expect(await h.spentBy('transcriber')).toBeLessThanOrEqual(0.03);
  });

  it('10 gpt-4o-transcribe transcriptions at once against a $0.15/day budget', async () => {
    // gpt-4o-transcribe: $2.50 text in, $6 audio in, $10 out per 1M tokens; context window 16,000
    // (the bundled @pydantic/genai-prices entry; platform.openai.com/docs/models/gpt-4o-transcribe,
    // read 2026-11-29). Each answer reads 15,000 audio tokens (a file of about 25 minutes) and
    // writes 1,000: 15,000 × 6e-6 + 1,000 × 10e-6 = $0.09 + $0.01 = $0.10.
    // Reserved as its form's text and 4,096 output tokens, about 4,096 × 10e-6 = $0.041, three fit
    // $0.15 at once: $0.30 spent. Reserved with its context window of audio, 16,000 × 6e-6 +
    // 4,096 × 10e-6 = $0.13696 and a little text, one fits: $0.10.
    const token = await h.tool('transcriber-4o', { dailyUsd: 0.15 });
    up.audioTokens = 15_000;
    up.transcriptTokens = 1_000;
    const statuses = await transcribeAtOnce(token, 'gpt-4o-transcribe', 1_000, 10);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    await expect.poll(async () => (await h.records('transcriber-4o')).length).toBe(10);
    expect(await h.spentBy('transcriber-4o')).toBeLessThanOrEqual(0.15);
  });
});

describe('a number written as a string', () => {
  it('n: "8" to a server that reads it as 8 answers', async () => {
    // Admit reads `n` only as a JSON number: one answer of 1,000 tokens, 8 × 1e-6 + 1,000 × 10e-6 =
    // $0.010008, inside $0.02. The server writes 8 × 1,000: 8 × 1e-6 + 8,000 × 10e-6 = $0.080008.
    const token = await h.tool('string-n', { dailyUsd: 0.02 });
    up.input = 8;
    // Sent (and capped) or refused: either way the spend stays within the budget.
    await post(token, '/v1/chat/completions', {
      model: 'vllm/llama-3.1-70b',
      n: '8',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect.poll(async () => (await h.records('string-n')).length).toBe(1);
    expect(await h.spentBy('string-n')).toBeLessThanOrEqual(0.02);
  });
});
