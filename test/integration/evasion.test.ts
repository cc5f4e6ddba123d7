// Issue 12, "every request that reaches a provider is metered or refused": a hostile tool tries
// the ways around its budget and model allowlist, against a provider on loopback that reads
// requests as leniently as real ones do (test/support/billing-upstream.ts) and counts what it
// would bill. Raw node:http where an SDK or fetch would normalize the path itself.
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBillingUpstream, type BillingUpstream } from '../support/billing-upstream.js';
import { ANTHROPIC_TEST_KEY, OPENAI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

/** Points a provider at `baseUrl`; a key is bound to its base URL, so it is given again. */
async function repoint(admin: Harness['admin'], name: 'openai' | 'anthropic', baseUrl: string) {
  await admin.call('patchProvider', { params: { name }, body: { baseUrl } });
  const key = name === 'openai' ? OPENAI_TEST_KEY : ANTHROPIC_TEST_KEY;
  await admin.call('putKey', { body: { provider: name, key } });
}

// gpt-4o-mini: $0.15 input, $0.60 output per 1M tokens (openai.com/api/pricing, checked 2026-11-27).
// One answer of the billing upstream (1,000 prompt + 500 completion tokens):
// 1000 × 0.15e-6 + 500 × 0.60e-6 = 0.00015 + 0.0003 = $0.00045.
const ANSWER_USD = 0.00045;
// A request capped at max_tokens 1000 reserves at least 1000 × 0.60e-6 = $0.0006 of output; a daily
// budget of $0.001 has room for one such request and not for two (2 × $0.0006 > $0.001), nor for
// a second after one answer ($0.00045 + $0.0006 > $0.001).
const ROOM_FOR_ONE = { dailyUsd: 0.001 };
const chatBody = (model = 'gpt-4o-mini') =>
  JSON.stringify({ model, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] });

let h: Harness;
let up: BillingUpstream;
beforeAll(async () => {
  h = await startHarness();
  up = await startBillingUpstream();
  await repoint(h.admin, 'openai', `${up.url}/v1`);
  await repoint(h.admin, 'anthropic', up.url);
});
afterAll(async () => {
  await h.close();
  await up.close();
});

/** One request with exactly this path and these headers (no client-side normalization). */
function raw(
  method: string,
  rawPath: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(h.core.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: rawPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const records = async (tool: string) =>
  (await h.admin.call('listRequests', { query: { tool, limit: '500' } })).records;
const billedSince = (n: number) => up.billed.slice(n);

describe('paths a provider normalizes', () => {
  const EVASIVE = [
    '/v1/chat/completions/.',
    '/v1//chat/completions',
    '/v1/chat/%63ompletions',
    '/v1/chat/completions/',
    '/v1/Chat/Completions',
    '/v1/x/../chat/completions',
    '/v1/chat\\completions', // a backslash is a slash to a WHATWG URL parser
    '/v1/./chat//completions//',
    '/v1/%63%68%61%74/completions',
    '/v1/CHAT/completions/./',
  ];

  it('50 concurrent evasive requests against a budget with room for 1: exactly 1 admitted and metered', async () => {
    const token = await h.tool('evasive-paths', ROOM_FOR_ONE);
    const before = up.billed.length;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => raw('POST', EVASIVE[i % EVASIVE.length]!, headers, chatBody())),
    );
    const served = billedSince(before);
    expect(served.length).toBe(1);
    // The provider was sent the normalized path, the one Shimmy classified and metered.
    expect(served[0]!.rawPath).toBe('/v1/chat/completions');
    expect(answers.filter((a) => a.status === 200).length).toBe(1);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBe(49);
    expect(JSON.parse(refused[0]!.body).error.code).toBe('budget_exceeded');
    await expect.poll(async () => (await records('evasive-paths')).length).toBe(50);
    const ok = (await records('evasive-paths')).filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.endpoint).toBe('chat');
    expect(ok[0]!.path).toBe('/v1/chat/completions');
    expect(ok[0]!.costUsd).toBeCloseTo(ANSWER_USD, 12);
  });

  it('refuses, in the caller format, a path that cannot be read one way only', async () => {
    const token = await h.tool('odd-paths');
    const before = up.billed.length;
    for (const p of [
      '/v1/chat%2Fcompletions',
      '/v1/chat/%2563ompletions',
      '/v1/../api/settings',
      '/v1/chat/completions;x=1',
      '/v1/chat/completions%00',
    ]) {
      const openai = await raw(
        'POST',
        p,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        chatBody(),
      );
      expect(openai.status, p).toBe(400);
      expect(JSON.parse(openai.body).error.code, p).toBe('invalid_request');
    }
    const anthropic = await raw(
      'POST',
      '/v1/messages%2F',
      { 'x-api-key': token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [] }),
    );
    expect(anthropic.status).toBe(400);
    expect(JSON.parse(anthropic.body)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    expect(billedSince(before)).toHaveLength(0);
  });
});

describe('classification does not depend on Content-Type', () => {
  it('a JSON body sent as text/plain or with no type is checked against the model allowlist', async () => {
    const token = await h.tool('no-type', { models: ['gpt-4o-mini'] });
    const before = up.billed.length;
    const answers = [];
    for (let i = 0; i < 20; i++) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (i % 3 === 1) headers['content-type'] = 'text/plain';
      if (i % 3 === 2) headers['content-type'] = 'application/x-ndjson';
      answers.push(await raw('POST', '/v1/chat/completions', headers, chatBody('gpt-4o')));
    }
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    expect(JSON.parse(answers[0]!.body).error.code).toBe('model_not_allowed');
    expect(billedSince(before)).toHaveLength(0);
  });

  it('a JSON body without Content-Type is metered against the budget', async () => {
    const token = await h.tool('no-type-budget', ROOM_FOR_ONE);
    const before = up.billed.length;
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await raw('POST', '/v1/chat/completions', { authorization: `Bearer ${token}` }, chatBody())).status,
      );
    expect(statuses).toEqual([200, 429, 429, 429, 429]);
    expect(billedSince(before)).toHaveLength(1);
    const ok = (await records('no-type-budget')).find((r) => r.status === 200)!;
    expect(ok.costUsd).toBeCloseTo(ANSWER_USD, 12);
  });

  it('a compressed body is refused: Shimmy could not read its model', async () => {
    const token = await h.tool('gzip', { models: ['gpt-4o-mini'] });
    const before = up.billed.length;
    const a = await raw(
      'POST',
      '/v1/chat/completions',
      { authorization: `Bearer ${token}`, 'content-encoding': 'gzip' },
      gzipSync(chatBody('gpt-4o')),
    );
    expect(a.status).toBe(400);
    expect(billedSince(before)).toHaveLength(0);
  });

  it('a multipart body yields its model: allowlist, and routing with the provider prefix', async () => {
    const file = () => toFile(Buffer.from('RIFF0000WAVEfmt '), 'a.wav');
    const narrow = new OpenAI({
      baseURL: `${h.core.url}/v1`,
      apiKey: await h.tool('audio-narrow', { models: ['gpt-4o-mini'] }),
      maxRetries: 0,
    });
    const before = up.billed.length;
    await expect(
      narrow.audio.transcriptions.create({ file: await file(), model: 'whisper-1' }),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(billedSince(before)).toHaveLength(0);

    const open = new OpenAI({
      baseURL: `${h.core.url}/v1`,
      apiKey: await h.tool('audio-open'),
      maxRetries: 0,
    });
    const t = await open.audio.transcriptions.create({ file: await file(), model: 'openai/whisper-1' });
    expect(t.text).toBe('hello');
    const sent = billedSince(before);
    expect(sent).toHaveLength(1);
    // The provider prefix is stripped from the form's model, as it is from a JSON body's.
    expect(sent[0]!.model).toBe('whisper-1');
    expect(sent[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const rec = (await records('audio-open'))[0]!;
    expect(rec.model).toBe('whisper-1');
  });
});

describe('billable endpoints Shimmy cannot price', () => {
  const client = (token: string) => new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });

  it('images against a budget with room for one: exactly one admitted, metered', async () => {
    // gpt-image-1: $5 text input, $40 image output per 1M tokens (openai.com/api/pricing, checked
    // 2026-11-27), set as the user's price so the case does not hang on the bundled catalog.
    // One answer of the billing upstream, 50 input + 4,160 output tokens:
    // 50 × 5e-6 + 4160 × 40e-6 = 0.00025 + 0.1664 = $0.16665.
    // The request names no size or quality, so it is reserved at the dearest image (high,
    // 1024x1536: 6,240 tokens × 40e-6 = $0.2496). A $0.30 budget has room for one, and after its
    // $0.16665 not for a second one's reservation.
    await h.admin.call('putPrice', { params: { model: 'gpt-image-1' }, body: { input: 5, output: 40 } });
    const token = await h.tool('images-budget', { dailyUsd: 0.3 });
    const before = up.billed.length;
    const outcomes = [];
    for (let i = 0; i < 20; i++)
      outcomes.push(
        await client(token)
          .images.generate({ model: 'gpt-image-1', prompt: 'a cat' })
          .then(() => 200)
          .catch((e: { status?: number }) => e.status),
      );
    expect(billedSince(before)).toHaveLength(1);
    expect(outcomes.filter((s) => s === 200)).toHaveLength(1);
    const served = (await records('images-budget')).filter((r) => r.status === 200);
    expect(served[0]!.costUsd).toBeCloseTo(0.16665, 12);
  });

  it('an image request is reserved at its size, quality and n', async () => {
    // gpt-image-1 at $40 per 1M image output tokens (as above). Image tokens per image from OpenAI's
    // image-generation guide (checked 2026-11-27): high 1024x1536 = 6,240; low 1024x1024 = 272.
    // 4 × 6,240 × 40e-6 = $0.9984 does not fit $0.50 (reserved at 4,096 text tokens it was
    // $0.164, and admitted); 1 × 272 × 40e-6 = $0.01088 does.
    const token = await h.tool('images-n', { dailyUsd: 0.5 });
    const before = up.billed.length;
    const big = await client(token)
      .images.generate({ model: 'gpt-image-1', prompt: 'a cat', n: 4, quality: 'high', size: '1024x1536' })
      .then(() => 200)
      .catch((e: { status?: number }) => e.status);
    expect(big).toBe(429);
    expect(billedSince(before)).toHaveLength(0);
    const small = await client(token)
      .images.generate({ model: 'gpt-image-1', prompt: 'a cat', n: 1, quality: 'low', size: '1024x1024' })
      .then(() => 200)
      .catch((e: { status?: number }) => e.status);
    expect(small).toBe(200);
  });

  it('Responses with background: true, batches and unknown POSTs are refused for a budgeted tool', async () => {
    const token = await h.tool('background-budget', ROOM_FOR_ONE);
    const before = up.billed.length;
    const statuses = [];
    for (let i = 0; i < 10; i++)
      statuses.push(
        await client(token)
          // Capped at 1,000 output tokens: the budget has room for one such request.
          .responses.create({ model: 'gpt-4o-mini', input: 'hi', background: true, max_output_tokens: 1000 })
          .then(() => 200)
          .catch((e: { status?: number; code?: string }) => `${e.status} ${e.code}`),
      );
    expect(statuses).toEqual(Array(10).fill('403 unpriced_endpoint'));
    const batch = await client(token)
      .batches.create({ input_file_id: 'file-1', endpoint: '/v1/chat/completions', completion_window: '24h' })
      .catch((e: { status?: number }) => e.status);
    expect(batch).toBe(403);
    const unknown = await raw(
      'POST',
      '/v1/some/new/thing',
      { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      '{"model":"gpt-4o-mini"}',
    );
    expect(unknown.status).toBe(403);
    expect(billedSince(before)).toHaveLength(0);
    // Reading is free: listing models still works under a budget.
    expect((await client(token).models.list()).data[0]!.id).toBe('gpt-4o-mini');
  });

  it('passes them, recorded unpriced (never $0), without a budget or when the tool opts in', async () => {
    for (const [name, limits] of [
      ['no-budget', {}],
      ['opted-in', { dailyUsd: 1, allowUnpriced: true }],
    ] as const) {
      const token = await h.tool(name, limits);
      const b = await client(token).batches.create({
        input_file_id: 'file-1',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      });
      expect(b.id).toBe('batch_b');
      const r = await client(token).responses.create({ model: 'gpt-4o-mini', input: 'hi', background: true });
      expect(r.status).toBe('queued');
      const recs = await records(name);
      expect(recs).toHaveLength(2);
      for (const rec of recs) expect(rec.costUsd, `${name} ${rec.path}`).toBeNull();
    }
  });
});

describe('a request the provider may bill keeps its reservation as spend', () => {
  it('a client that leaves before the answer starts, 10 in a row, room for 1: 1 admitted', async () => {
    const token = await h.tool('leaver', ROOM_FOR_ONE);
    const before = up.billed.length;
    const statuses: Array<number | 'left'> = [];
    for (let i = 0; i < 10; i++) {
      const seen = up.billed.length;
      const ac = new AbortController();
      const answer = fetch(`${h.core.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-test-behavior': 'slow-answer',
        },
        body: chatBody(),
        signal: ac.signal,
      }).then(
        (r) => r.status,
        () => 'left' as const,
      );
      // Leave once the provider has the request, or once Shimmy has answered.
      const done = await Promise.race([
        answer,
        (async () => {
          while (up.billed.length === seen) await new Promise((r) => setTimeout(r, 10));
          return 'sent' as const;
        })(),
      ]);
      if (done === 'sent') ac.abort();
      statuses.push(await answer);
      await expect.poll(async () => (await records('leaver')).length).toBe(i + 1);
    }
    expect(billedSince(before)).toHaveLength(1);
    expect(statuses.filter((s) => s === 'left')).toHaveLength(1);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    const left = (await records('leaver')).find((r) => r.status === 499)!;
    expect(left.estimated).toBe(true);
    // Charged at the reservation: at least the 1,000 output tokens it was capped at.
    expect(left.costUsd).toBeGreaterThanOrEqual(0.0006);
    expect(left.costUsd).toBeLessThan(0.001);
  });

  it('an upstream timeout is spend; a connection refused before sending is not', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-timeout-'));
    await fs.writeFile(
      path.join(dataDir, 'config.json'),
      JSON.stringify({ settings: { upstreamTimeoutMs: 300 } }),
    );
    const t = await startHarness({ dataDir });
    try {
      await repoint(t.admin, 'openai', `${up.url}/v1`);
      const token = await t.tool('timeouts', ROOM_FOR_ONE);
      const send = () =>
        fetch(`${t.core.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-test-behavior': 'hang',
          },
          body: chatBody(),
        }).then((r) => r.status);
      expect([await send(), await send(), await send()]).toEqual([504, 429, 429]);
      const recs = (await t.admin.call('listRequests', { query: { tool: 'timeouts' } })).records;
      const timedOut = recs.find((r) => r.status === 504)!;
      expect(timedOut.estimated).toBe(true);
      expect(timedOut.costUsd).toBeGreaterThanOrEqual(0.0006);

      // Nothing listens on the refused provider: the reservation is released every time.
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as { port: number }).port;
      await new Promise<void>((r) => closed.close(() => r()));
      await repoint(t.admin, 'openai', `http://127.0.0.1:${port}/v1`);
      const refusedToken = await t.tool('refused', ROOM_FOR_ONE);
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push(
          await fetch(`${t.core.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${refusedToken}`, 'content-type': 'application/json' },
            body: chatBody(),
          }).then((r) => r.status),
        );
      expect(statuses).toEqual([502, 502, 502]);
    } finally {
      await t.close();
    }
  });
});
