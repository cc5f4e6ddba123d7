// Input the provider adds from what it has stored, which the request names but does not carry: a
// Responses stored prompt (`prompt: {id}`, its messages and variables' files merged into the
// input, and its own tools), an `item_reference` to an item of an earlier response, a Gemini
// `cachedContent` (its tokens billed at the cache-read rate, and counted toward the long-context
// threshold), and a file named by id or URL; and files carried inline that are not PDFs. Each was
// reserved as the body's few tokens or as a 100-page PDF (found by red16, 2026-11-29); also a
// Gemini 2.5 Pro request with a video by URI, reserved at a 400,000-token window the catalog does
// not give it, where Google's is 1,048,576.
// Prices (the bundled @pydantic/genai-prices entries, as published):
// - gpt-5 $1.25 in / $10 out per 1M, window 400,000 (openai.com/api/pricing, read 2026-11-27);
// - gemini-2.5-flash $0.30 in, $0.03 cache read, $2.50 out per 1M, window 1,048,576;
//   gemini-2.5-pro $1.25 → $2.50 in, $10 → $15 out per 1M past 200,000 input tokens, window
//   1,048,576 (ai.google.dev/gemini-api/docs/pricing and /models, read 2026-11-29).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  geminiAnswer,
  messagesAnswer,
  postStatus,
  responsesAnswer,
  startJsonProvider,
  type JsonProvider,
} from '../support/json-provider.js';

/** Tokens of what the provider holds: the stored prompt, the referenced item, the cache. */
const STORED_TOKENS = 200_000;
const CACHE_TOKENS = 800_000;
/** A 58-minute video: 3,480 s × 300 tokens a second (default media resolution). */
const VIDEO_TOKENS = 3_480 * 300;
const BODY_TOKENS = 10;

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;
let sent = 0;
const field = (x: unknown, k: string): unknown =>
  typeof x === 'object' && x !== null ? (x as Record<string, unknown>)[k] : undefined;
/** A completed Responses answer with no output items, of `input` and `out` tokens. */
const plainResponse = (b: Record<string, unknown>, input: number, out: number) =>
  responsesAnswer({
    id: `resp_${sent}`,
    status: 'completed',
    model: b.model,
    output: [],
    input,
    outputTokens: out,
  });

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((path, b) => {
    sent++;
    if (path === '/v1/responses' && field(b.prompt, 'id') === 'pmpt_search') {
      // A stored prompt holding a web search tool: 390,000 tokens of prompt and results, and a
      // search for every call max_tool_calls allows (20 where it names none).
      const calls = Number(b.max_tool_calls ?? 20);
      const out = Number(b.max_output_tokens);
      billedUsd += 390_000 * 1.25e-6 + out * 10e-6 + calls * 0.01;
      return responsesAnswer({
        id: `resp_${sent}`,
        status: 'completed',
        model: b.model,
        output: Array.from({ length: calls }, (_, i) => ({
          type: 'web_search_call',
          id: `ws_${i}`,
          status: 'completed',
        })),
        input: 390_000,
        outputTokens: out,
      });
    }
    if (path === '/v1/responses' && field(b.prompt, 'id') === 'pmpt_paint') {
      // A stored prompt holding an image generation tool (gpt-image-1, high, 1024×1024): two
      // images of 4,160 tokens at $40 per 1M (openai.com/api/pricing, read 2026-11-27), $0.1664
      // each, their 50-token prompts at $5 per 1M text in; 390,000 tokens in (the stored prompt)
      // and 1,000 out of gpt-5.
      const out = Number(b.max_output_tokens);
      const images = Math.min(2, Number(b.max_tool_calls ?? 2));
      billedUsd += 390_000 * 1.25e-6 + out * 10e-6 + images * (4160 * 40e-6 + 50 * 5e-6);
      return responsesAnswer({
        id: `resp_${sent}`,
        status: 'completed',
        model: b.model,
        output: Array.from({ length: images }, (_, i) => ({
          type: 'image_generation_call',
          id: `ig_${i}`,
          status: 'completed',
        })),
        input: 390_000,
        outputTokens: out,
        tool_usage: {
          image_gen: {
            input_tokens: 50 * images,
            input_tokens_details: { text_tokens: 50 * images, image_tokens: 0 },
            output_tokens: 4160 * images,
            output_tokens_details: { image_tokens: 4160 * images, text_tokens: 0 },
            total_tokens: 4210 * images,
          },
        },
      });
    }
    const utf16 = utf16FileData(b);
    if (path === '/v1/responses' && utf16 !== undefined) {
      // An inline UTF-16 text file: the provider reads its text, billed by its o200k_base tokens.
      const input = countTokens(utf16) + BODY_TOKENS;
      const out = Number(b.max_output_tokens);
      billedUsd += input * 2e-6 + out * 8e-6;
      return plainResponse(b, input, out);
    }
    if (JSON.stringify(b).includes('file_big')) {
      // A text file named by id: 990,000 tokens on gpt-4.1, 900,000 on claude-sonnet-4-6.
      if (path === '/v1/messages') {
        const out = Number(b.max_tokens);
        billedUsd += 900_000 * 3e-6 + out * 15e-6;
        return messagesAnswer({
          id: 'msg_x',
          stop_reason: 'max_tokens',
          input: 900_000,
          outputTokens: out,
          model: String(b.model),
        });
      }
      const out = Number(b.max_output_tokens);
      billedUsd += 990_000 * 2e-6 + out * 8e-6;
      return plainResponse(b, 990_000, out);
    }
    if (path === '/v1/responses') {
      const input =
        BODY_TOKENS +
        (b.prompt !== undefined || JSON.stringify(b.input).includes('msg_big') ? STORED_TOKENS : 0);
      const out = Number(b.max_output_tokens);
      billedUsd += input * 1.25e-6 + out * 10e-6;
      return plainResponse(b, input, out);
    }
    const out = Number((b.generationConfig as { maxOutputTokens: number }).maxOutputTokens);
    if (JSON.stringify(b.contents).includes('text/plain')) {
      // An inline text file of 990,000 tokens on gemini-2.5-flash.
      const prompt = BODY_TOKENS + 990_000;
      billedUsd += prompt * 0.3e-6 + out * 2.5e-6;
      return geminiAnswer({ text: 'ok', finishReason: 'MAX_TOKENS', input: prompt, outputTokens: out });
    }
    const pro = path.includes('gemini-2.5-pro');
    const cached = b.cachedContent !== undefined ? CACHE_TOKENS : 0;
    const prompt = BODY_TOKENS + cached + (pro ? VIDEO_TOKENS : 0);
    if (pro)
      billedUsd += prompt * (prompt > 200_000 ? 2.5e-6 : 1.25e-6) + out * (prompt > 200_000 ? 15e-6 : 10e-6);
    else billedUsd += (prompt - cached) * 0.3e-6 + cached * 0.03e-6 + out * 2.5e-6;
    return {
      candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'MAX_TOKENS' }],
      usageMetadata: {
        promptTokenCount: prompt,
        ...(cached > 0 ? { cachedContentTokenCount: cached } : {}),
        candidatesTokenCount: out,
        totalTokenCount: prompt + out,
      },
      modelVersion: pro ? 'gemini-2.5-pro' : 'gemini-2.5-flash',
    };
  });
  await h.point('openai', provider.url);
  await h.point('google', provider.url);
  await h.point('anthropic', provider.url);
  // An answer that says the project's tier (default): a request naming none is reserved at
  // Priority until one has (served-tiers.ts).
  await post(await h.tool('warm-up'), '/v1/responses', { model: 'gpt-5', input: 'hi', max_output_tokens: 1 });
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

const post = (token: string, path: string, body: unknown) => postStatus(h, path, token, body);

/** Sends `body` on a fresh tool with `dailyUsd`; what the provider billed and Shimmy recorded. */
async function spend(name: string, dailyUsd: number, path: string, body: unknown) {
  const token = await h.tool(name, { dailyUsd });
  const before = billedUsd;
  const status = await post(token, path, body);
  const billed = billedUsd - before;
  await expect.poll(() => h.spentBy(name)).toBeCloseTo(billed, 10);
  return { status, billed };
}

/** As spend, for a request that must be refused (429) with nothing billed past `dailyUsd`. */
async function refused(name: string, dailyUsd: number, path: string, body: unknown) {
  const { status, billed } = await spend(name, dailyUsd, path, body);
  expect(billed, `billed $${billed.toFixed(6)} on $${dailyUsd.toFixed(2)}`).toBeLessThanOrEqual(dailyUsd);
  expect(status).toBe(429);
}

it('a Responses stored prompt is reserved at the context window', async () => {
  // The stored prompt's 200,000 tokens: 200,010 × 1.25e-6 + 1,000 × 10e-6 = $0.2600125 billed on
  // $0.10, reserved as the body's few tokens. At gpt-5's window, 400,000 × 1.25e-6 = $0.50: refused.
  await refused('stored-prompt', 0.1, '/v1/responses', {
    model: 'gpt-5',
    prompt: { id: 'pmpt_big', variables: { topic: 'x' } },
    input: 'hi',
    max_output_tokens: 1000,
  });
});

it("a Responses stored prompt's searches are bounded and reserved", async () => {
  // Its tools are the stored prompt's, unseen: web search $10 per 1,000 calls (gpt-5's
  // web_searches_kcount, openai.com/api/pricing, read 2026-11-29). Reserved at the window,
  // 400,010 × 1.25e-6 + 1,000 × 10e-6 = $0.5100125, it went out with no max_tool_calls: 20
  // searches, 390,000 × 1.25e-6 + 1,000 × 10e-6 + 20 × 0.01 = $0.6975 billed on $0.60. A call may
  // also be an image (below), so not one call fits beside the window on $0.60: refused.
  await refused('stored-prompt-search', 0.6, '/v1/responses', {
    model: 'gpt-5',
    prompt: { id: 'pmpt_search' },
    input: 'hi',
    max_output_tokens: 1000,
  });
});

// A stored prompt's image generation tool: reserved only as searches (8 calls, $0.5900125), it went
// out on $0.80 and billed 390,000 × 1.25e-6 + 1,000 × 10e-6 + 2 × (4,160 × 40e-6 + 50 × 5e-6) =
// $0.8308. A `prompt` now also counts as an image tool of unknown size and quality (the dearest):
// max_tool_calls is lowered to the calls that fit beside the window, one here, and the answer
// bills 0.4875 + 0.01 + 0.16665 = $0.66415. A `prompt` is also reserved a code interpreter
// container at the dearest size, 64 GB × $0.03 = $1.92 (code-interpreter-containers.ts), so the
// budget is $0.80 + $1.92: the same $0.80 left for the tokens and the calls.
it("a Responses stored prompt's image generation tool is reserved per call", async () => {
  const { status, billed } = await spend('stored-prompt-paint', 2.72, '/v1/responses', {
    model: 'gpt-5',
    prompt: { id: 'pmpt_paint' },
    input: 'hi',
    max_output_tokens: 1000,
  });
  expect(billed, `billed $${billed.toFixed(6)} on $2.72`).toBeLessThanOrEqual(2.72);
  expect(billed).toBeCloseTo(0.66415, 10);
  expect(status).toBe(200);
});

it.each([
  ['item-reference', { type: 'item_reference', id: 'msg_big' }],
  ['bare-item-id', { id: 'msg_big' }],
])('a Responses item reference (%s) is reserved at the context window', async (name, item) => {
  // The referenced item's 200,000 tokens: $0.2600125 billed on $0.10, as above.
  await refused(name, 0.1, '/v1/responses', {
    model: 'gpt-5',
    input: [item, { role: 'user', content: 'hi' }],
    max_output_tokens: 1000,
  });
});

it('a Gemini cachedContent is reserved at the context window', async () => {
  // The cache's 800,000 tokens at the cache-read rate: 10 × 0.30e-6 + 800,000 × 0.03e-6 + 100 ×
  // 2.50e-6 = $0.024253 billed on $0.01. At the window, 1,048,576 × 0.30e-6 = $0.31457: refused.
  await refused('cached-content', 0.01, '/v1beta/models/gemini-2.5-flash:generateContent', {
    cachedContent: 'cachedContents/big',
    contents: [{ role: 'user', parts: [{ text: 'Summarize it.' }] }],
    generationConfig: { maxOutputTokens: 100, thinkingConfig: { thinkingBudget: 0 } },
  });
});

it('a Gemini 2.5 Pro video by URI is reserved at its 1,048,576-token window', async () => {
  // 1,044,010 × 2.50e-6 + 100 × 15e-6 = $2.611525 billed on $2. Reserved at 400,001 tokens (the
  // window assumed where the catalog has none), $1.0015, it went out; at 1,048,576, $2.62294: refused.
  await refused('pro-video', 2, '/v1beta/models/gemini-2.5-pro:generateContent', {
    contents: [
      {
        role: 'user',
        parts: [{ fileData: { fileUri: 'https://www.youtube.com/watch?v=hour' } }, { text: 'Summarize it.' }],
      },
    ],
    generationConfig: { maxOutputTokens: 100 },
  });
});

it('a Responses input_file named by id is reserved at the context window', async () => {
  // gpt-4.1 $2 in / $8 out per 1M, window 1,000,000 (openai.com/api/pricing, read 2026-11-29). A
  // text file of 990,000 tokens: 990,000 × 2e-6 + 100 × 8e-6 = $1.9808 billed on $1.50. Reserved
  // as a 100-page PDF (410,500 tokens, $0.82); at the window, $2.0008: refused.
  await refused('file-by-id', 1.5, '/v1/responses', {
    model: 'gpt-4.1',
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_file', file_id: 'file_big' },
          { type: 'input_text', text: 'Summarize it.' },
        ],
      },
    ],
    max_output_tokens: 100,
  });
});

it('a Claude document from the Files API is reserved at the context window', async () => {
  // claude-sonnet-4-6 $3 in / $15 out per 1M, window 1,000,000 (the catalog's entry since
  // 2026-03-13; docs.claude.com pricing, read 2026-11-29). A text file of 900,000 tokens:
  // 900,000 × 3e-6 + 100 × 15e-6 = $2.7015 billed on $2. Reserved as a 100-page PDF (459,000
  // tokens, $1.38); at the window, $3.0015: refused.
  await refused('claude-file', 2, '/v1/messages', {
    model: 'claude-sonnet-4-6',
    max_tokens: 100,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'document', source: { type: 'file', file_id: 'file_big' } },
          { type: 'text', text: 'Summarize it.' },
        ],
      },
    ],
  });
});

/** 990,000 words of text, 4.95 MB: 990,000 tokens (" word" is one o200k token). */
const TEXT_FILE = Buffer.from('word '.repeat(990_000)).toString('base64');

it.each([
  ['a text file', `data:text/plain;base64,${TEXT_FILE}`],
  // A docx is a zip: its text may be many times its compressed bytes (here 4 bytes and zeros).
  [
    'a docx (zip)',
    Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100_000)]).toString('base64'),
  ],
])('a Responses input_file carrying %s is reserved past a 100-page PDF', async (_, data) => {
  // 990,000 tokens on gpt-4.1: $1.9808 billed on $1.50, as by id. Counted as a 100-page PDF
  // (410,500 tokens, $0.82) it went out; at its bytes (4,950,000 tokens) or, for a zip, at the
  // window ($2.0008): refused.
  await refused(`inline-${data.length}`, 1.5, '/v1/responses', {
    model: 'gpt-4.1',
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_file', filename: 'file_big', file_data: data },
          { type: 'input_text', text: 'Summarize it.' },
        ],
      },
    ],
    max_output_tokens: 100,
  });
});

/** The text of a Responses input_file named `utf16.txt`, as UTF-16 (its BOM dropped). */
function utf16FileData(b: Record<string, unknown>): string | undefined {
  const part = (field(field(b.input, '0'), 'content') as unknown[] | undefined)?.[0];
  if (field(part, 'filename') !== 'utf16.txt') return undefined;
  const data = String(field(part, 'file_data'));
  return new TextDecoder('utf-16le').decode(Buffer.from(data.slice(data.indexOf(',') + 1), 'base64'));
}

/** 330,000 Yi syllables (U+A000–U+A48C; 2 bytes each in UTF-16, 3 in UTF-8, mostly a token a
 *  UTF-8 byte in o200k_base) in lines of 32, in UTF-16LE with its BOM: 680,626 bytes. */
const YI_TEXT = Array.from(
  { length: 330_000 },
  (_, i) => String.fromCharCode(0xa000 + ((i * 7919) % 0x48d)) + ((i + 1) % 32 === 0 ? '\n' : ''),
).join('');
const UTF16_FILE = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(YI_TEXT, 'utf16le')]);

it('a Responses input_file carrying UTF-16 text is reserved past its bytes', async () => {
  // A UTF-16 file's text may be more tokens than its bytes: here 995,496 o200k_base tokens
  // (measured) of 680,626 bytes. On gpt-4.1 ($2 in / $8 out per 1M, window 1,000,000), 995,506 ×
  // 2e-6 + 100 × 8e-6 = $1.991812 billed on $1.50; reserved at its bytes (680,626 tokens,
  // $1.3621) it went out. At 1.5 tokens a byte (1,020,939 tokens, $2.04): refused.
  expect(countTokens(YI_TEXT)).toBeGreaterThan(UTF16_FILE.length);
  await refused('inline-utf16', 1.5, '/v1/responses', {
    model: 'gpt-4.1',
    input: [
      {
        role: 'user',
        content: [
          {
            type: 'input_file',
            filename: 'utf16.txt',
            file_data: `data:text/plain;base64,${UTF16_FILE.toString('base64')}`,
          },
          { type: 'input_text', text: 'Summarize it.' },
        ],
      },
    ],
    max_output_tokens: 100,
  });
});

it('a Gemini inline text file is reserved at its bytes', async () => {
  // 990,010 × 0.30e-6 + 100 × 2.50e-6 = $0.297253 billed on $0.10. Counted as a 100-page PDF
  // (25,800 tokens, $0.0080) it went out; at its bytes, 4,950,000 tokens: refused.
  await refused('gemini-text-file', 0.1, '/v1beta/models/gemini-2.5-flash:generateContent', {
    contents: [
      {
        role: 'user',
        parts: [{ inlineData: { mimeType: 'text/plain', data: TEXT_FILE } }, { text: 'Summarize it.' }],
      },
    ],
    generationConfig: { maxOutputTokens: 100, thinkingConfig: { thinkingBudget: 0 } },
  });
});
