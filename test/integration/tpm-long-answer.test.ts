// A tool's TPM counts each request in the sliding minute from its start: at admission with its
// input and output estimate (4,096 output tokens when it names no limit), replaced by the actual
// count when it settles. An answer that takes longer than the minute settles after its entry has
// left the window, and its count is dropped (limits/rate-window.ts setTokens, and the Redis
// engine's SETTLE script): the tokens it used are never counted at all. A tool with a TPM of
// 10,000 whose answers each stream for just over a minute gets ~50,000 tokens through per answer,
// and its window never shows them (found by red14, 2026-11-29).
//
// KNOWN GAP, kept failing (it.fails): the fix is in limits/ (gaps14's files), in both engines: an
// entry settled after it left the window adds its actual count as a new entry at the settle time
// (memory: `add(nowMs, tokens)` in setTokens; Redis: ZADD a new id at the script's now, which
// SETTLE would then take as an argument), so the tokens count for the minute after they were used.
// Checked: that one line in the memory engine makes this test pass (not committed; it also counts
// the new entry as a request for RPM, which a token-only entry would avoid).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;
let clock = Date.now();
/** Ends the stream the provider is holding open. */
let finish: (() => void) | undefined;
const OUTPUT = 50_000;

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { stream?: boolean };
      const base = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini' };
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...base,
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 8, completion_tokens: 1, total_tokens: 9 },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const data = (x: unknown) => res.write(`data: ${JSON.stringify(x)}\n\n`);
      data({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] });
      finish = () => {
        data({ ...base, choices: [{ index: 0, delta: { content: 'word '.repeat(200) } }] });
        data({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        data({
          ...base,
          choices: [],
          usage: { prompt_tokens: 8, completion_tokens: OUTPUT, total_tokens: 8 + OUTPUT },
        });
        res.end('data: [DONE]\n\n');
      };
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  h = await startHarness({ core: { now: () => new Date(clock) } });
  await h.point('openai', `http://127.0.0.1:${(provider.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

const chat = (token: string, stream: boolean) =>
  fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] }),
  });

it.fails('an answer of 50,000 tokens that streams for 61 s counts against a 10,000 TPM', async () => {
  const token = await h.tool('slow-writer', { tpm: 10_000 });
  const long = await chat(token, true);
  expect(long.status).toBe(200);
  const reader = long.body!.getReader();
  await reader.read(); // the stream has begun
  clock += 61_000; // it is still writing a minute later
  finish!();
  while (!(await reader.read()).done);
  const recorded = async () =>
    (await h.admin.call('listRequests', { query: { tool: 'slow-writer' } })).records[0]?.usage.outputTokens;
  await expect.poll(recorded).toBe(OUTPUT);
  // 50,000 tokens in the minute that just ended: the next request must wait. Before: 200.
  const next = await chat(token, false);
  await next.text();
  expect(next.status, 'a request right after 50,000 tokens on a 10,000 TPM').toBe(429);
});
