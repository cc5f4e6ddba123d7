// Big request bodies are parsed in slices that let other requests run between them (issue 16),
// and the result is JSON.parse's — except that long strings below the top level are left in the
// body's bytes (UnreadString), read only by the token estimate and by serializing.
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../../../main/core/cache/cache-key.js';
import { estimateInputTokens, estimateInputTokensSliced } from '../../../main/core/meter/estimate.js';
import { tokenizerLaneBusy } from '../../../main/core/meter/token-count.js';
import { UnreadString } from '../../../main/core/meter/unread-string.js';
import { parseJsonSliced } from '../../../main/core/proxy/parse-json-sliced.js';
import { parseRequestBody } from '../../../main/core/proxy/read-json-any-type.js';
import { Refused } from '../../../main/core/proxy/refused.js';

const big = (n: number) =>
  JSON.stringify({
    model: 'gpt-4o',
    stream: true,
    messages: Array.from({ length: n }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content:
        i % 3
          ? `message ${i} café 🚀 "quoted" \\ back \u0001`
          : [{ type: 'text', text: 'x'.repeat(i % 500) }],
      n: [i, -i / 3, 1e21, true, false, null],
    })),
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
  });

describe('parseJsonSliced', () => {
  it('gives what JSON.parse gives, for a body many pieces long', async () => {
    const text = big(20_000);
    expect(text.length).toBeGreaterThan(2_000_000);
    const { json, top } = await parseJsonSliced(Buffer.from(text));
    expect(JSON.parse(JSON.stringify(json))).toEqual(JSON.parse(text));
    expect(top!.members.map((m) => m.key)).toEqual(['model', 'stream', 'messages', 'tools']);
  });

  it('keeps JSON.parse semantics: repeated keys, __proto__, whitespace, a top-level array', async () => {
    const filler = JSON.stringify('y'.repeat(70_000));
    const cases = [
      `{"a":1,"b":${filler},"a":{"c":[${filler}]}}`,
      `{"__proto__":{"polluted":true},"x":${filler}}`,
      ` \n\t[ ${filler} , {"k" : [ 1 , 2 ] } , [] , {} ] \r\n`,
      `{"s\\u0074ream":true,"e":"\\ud83d\\ude80","big":[${Array.from({ length: 3000 }, (_, i) => `{"i":${i},"t":"${'z'.repeat(30)}"}`).join(',')}]}`,
    ];
    for (const text of cases) {
      const { json } = await parseJsonSliced(Buffer.from(text));
      expect(JSON.parse(JSON.stringify(json))).toEqual(JSON.parse(text));
      expect(Object.getPrototypeOf(json)).toBe(Object.getPrototypeOf(JSON.parse(text)));
    }
  });

  it('refuses what JSON.parse refuses', async () => {
    const filler = JSON.stringify('y'.repeat(70_000));
    for (const text of [
      `{"a":${filler},}`,
      `[${filler},]`,
      `{"a" ${filler}}`,
      `{"a":${filler}} x`,
      `{"a":${filler}`,
      `[${filler} ${filler}]`,
      `{a:${filler}}`,
      `[${filler}, tru]`,
      // Long strings left unread are still checked as JSON.parse checks them.
      `{"m":[{"c":"${'y'.repeat(70_000)}\u0001"}]}`,
      `{"m":[{"c":"${'y'.repeat(70_000)}\\x"}]}`,
      `{"m":[{"c":"${'y'.repeat(70_000)}\\u12G4"}]}`,
      `{"m":[{"c":"${'y'.repeat(70_000)}\n"}]}`,
    ]) {
      expect(() => JSON.parse(text)).toThrow();
      await expect(parseJsonSliced(Buffer.from(text))).rejects.toThrow(SyntaxError);
    }
  });
});

describe('a big body does not hold its strings twice', () => {
  it('leaves long strings below the top level in the bytes; estimates and cache keys are unchanged', async () => {
    const turn = 'The build failed in step 3 because the cache key changed; here is the log. '.repeat(70);
    const body = {
      model: 'gpt-4o-mini',
      stream: true,
      messages: Array.from({ length: 300 }, (_, i) => ({
        role: i % 2 ? 'assistant' : 'user',
        content: i % 5 ? `${i} \u00e9 "${turn}"` : [{ type: 'text', text: `${i}: ${turn}` }],
      })),
    };
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(1_500_000);
    const { json } = await parseJsonSliced(Buffer.from(text));
    const messages = (json as typeof body).messages;
    expect(messages[1]!.content).toBeInstanceOf(UnreadString);
    expect((messages[0]!.content as Array<{ text: unknown }>)[0]!.text).toBeInstanceOf(UnreadString);
    expect(messages[1]!.role).toBe('assistant');
    expect((json as typeof body).model).toBe('gpt-4o-mini');
    const full = JSON.parse(text) as unknown;
    const whole = estimateInputTokens('openai', 'chat', full, 'gpt-4o-mini');
    expect(estimateInputTokens('openai', 'chat', json, 'gpt-4o-mini')).toBe(whole);
    // What admit awaits: the same count, a slice at a time.
    const sliced = estimateInputTokensSliced('openai', 'chat', json, 'gpt-4o-mini');
    expect(sliced).toBeInstanceOf(Promise);
    // While it is counted (on the tokenizer thread's async lane), a small body is counted ahead
    // of its remaining texts, awaited too, and comes out as counted synchronously.
    const smallBody = { messages: [{ role: 'user', content: 'How many tokens is this, exactly? 日本語' }] };
    const smallSync = estimateInputTokens('openai', 'chat', smallBody, 'gpt-4o-mini');
    while (!tokenizerLaneBusy('o200k_base')) await new Promise((r) => setImmediate(r));
    const smallWhileBig = estimateInputTokensSliced('openai', 'chat', smallBody, 'gpt-4o-mini');
    expect(smallWhileBig).toBeInstanceOf(Promise);
    expect(await smallWhileBig).toBe(smallSync);
    expect(await sliced).toBe(whole);
    expect(estimateInputTokensSliced('openai', 'chat', smallBody, 'gpt-4o-mini')).toBe(smallSync);
    expect(await estimateInputTokensSliced('anthropic', 'messages', json, 'claude-sonnet-4-5')).toBe(
      estimateInputTokens('anthropic', 'messages', full, 'claude-sonnet-4-5'),
    );
    const key = (b: unknown) =>
      cacheKey({ provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat', body: b });
    expect(key(json)).toBe(key(full));
  });
});

describe('a big body counted from its bytes', () => {
  // Decoding a 20 MB body's texts on the event loop made 20 MB of strings per request (issue 16:
  // the budgeted peak RSS); its unread texts go to the tokenizer thread as bytes, decoded and
  // bounded there, and every count stays what the whole parse gives.
  it('never decodes an unread text on the event loop for an OpenAI count, and counts exactly as before', async () => {
    const turn = 'Deploy step 4 timed out; the retry succeeded. '.repeat(120);
    const messages = [
      ...Array.from({ length: 200 }, (_, i) => ({
        role: i % 2 ? 'assistant' : 'user',
        content: `${i} ${turn}`,
      })),
      // Escapes decoded on the thread: quotes, backslashes, \u escapes, a surrogate pair, a newline.
      { role: 'user', content: `say "hi" \\ caf\u00e9 \ud83d\ude80 \n ${turn}` },
      // One long piece (BPE is quadratic in it): counted at its UTF-8 bytes.
      { role: 'user', content: 'z'.repeat(5_000) },
      // Over 200,000 characters once decoded, under the lane's 600,000 bytes: at its bytes too.
      { role: 'user', content: 'é \n '.repeat(50_001) },
      // Unspaced CJK: a long piece of letters.
      { role: 'user', content: '日本語テキスト'.repeat(800) },
    ];
    const text = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }).replace(
      'café 🚀',
      'caf\\u00e9 \\ud83d\\ude80',
    );
    expect(text).toContain('caf\\u00e9 \\ud83d');
    const full = JSON.parse(text) as unknown;
    const { json } = await parseJsonSliced(Buffer.from(text));
    let decoded = 0;
    for (const m of (json as { messages: Array<{ content: unknown }> }).messages) {
      const c = m.content;
      expect(c).toBeInstanceOf(UnreadString);
      const value = Object.getOwnPropertyDescriptor(UnreadString.prototype, 'value')!.get!;
      Object.defineProperty(c, 'value', {
        get() {
          decoded++;
          return value.call(c) as string;
        },
      });
    }
    const whole = estimateInputTokens('openai', 'chat', full, 'gpt-4o-mini');
    decoded = 0;
    expect(await estimateInputTokensSliced('openai', 'chat', json, 'gpt-4o-mini')).toBe(whole);
    expect(decoded).toBe(0);
    expect(await estimateInputTokensSliced('openai', 'chat', json, 'gpt-4')).toBe(
      estimateInputTokens('openai', 'chat', full, 'gpt-4'),
    );
    expect(await estimateInputTokensSliced('anthropic', 'messages', json, 'claude-sonnet-4-5')).toBe(
      estimateInputTokens('anthropic', 'messages', full, 'claude-sonnet-4-5'),
    );
  });
});

describe('parseRequestBody on a big body', () => {
  it('lets other callbacks run while an 8 MB body is parsed', async () => {
    const bytes = Buffer.from(big(60_000));
    expect(bytes.length).toBeGreaterThan(8_000_000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const parsed = await parseRequestBody(bytes, { 'content-type': 'application/json' }, 'chat');
      expect((parsed.json as { messages: unknown[] }).messages).toHaveLength(60_000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(5);
  });

  it('refuses a big body nested past the limit, as a small one is', async () => {
    const text = `{"pad":"${'p'.repeat(1_100_000)}","deep":${'['.repeat(600)}${']'.repeat(600)}}`;
    const err = await parseRequestBody(Buffer.from(text), {}, 'chat').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Refused);
    expect((err as Error).message).toContain('512 levels');
  });
});
