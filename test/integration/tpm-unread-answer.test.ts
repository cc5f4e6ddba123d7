// TPM and an answer Shimmy did not read in full. The provider generated (and bills) a plain answer
// whole before its first byte went out, and a reasoning model's thinking before its first word:
// a client that leaves then is charged, in USD, what its reservation held (charge-unread.ts,
// cut-reasoning-stream.test.ts). Its TPM entry, though, settles at the tokens the meter saw —
// the input and a word or none — so the estimate it held leaves the window at once, and a tool
// that leaves every answer early gets any number of whole answers through its TPM (tpm15,
// 2026-11-29: ten admitted in one minute on a 2,500 TPM, 10,080 tokens generated). Now an answer
// charged as unread settles its TPM entry at no less than its estimate (charge-unread.ts says
// which, settle.ts passes it on).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const INPUT = 8;
const OUTPUT = 1_000;
let h: Harness;
let provider: http.Server;
/** Tokens the provider generated for the requests that reached it. */
let generated = 0;

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { stream?: boolean };
      generated += INPUT + OUTPUT;
      if (!body.stream) {
        // Whole before its first byte goes out; it leaves in two pieces, the client after the first.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o-mini",');
        const rest = setTimeout(() => {
          res.end(
            `"choices":[{"index":0,"message":{"role":"assistant","content":"${'word '.repeat(OUTPUT)}"},"finish_reason":"length"}],` +
              `"usage":{"prompt_tokens":${INPUT},"completion_tokens":${OUTPUT},"total_tokens":${INPUT + OUTPUT}}}`,
          );
        }, 300);
        res.on('close', () => clearTimeout(rest));
        return;
      }
      // A reasoning model: it thinks OUTPUT - 1 tokens unseen, then writes its first word.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: Record<string, unknown>) =>
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-5-2025-08-07', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }));
      setTimeout(() => res.write(chunk({ content: 'Hello' })), 20);
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const clock = Date.now();
  // The clock stands still: every request below falls in one minute.
  h = await startHarness({ core: { now: () => new Date(clock) } });
  await h.point('openai', `http://127.0.0.1:${(provider.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

/** Sends one request and leaves at the answer's first word (a plain answer: its first bytes). */
async function leaveEarly(token: string, body: Record<string, unknown>): Promise<number> {
  const ac = new AbortController();
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...body,
      max_completion_tokens: OUTPUT,
      messages: [{ role: 'user', content: 'hi' }],
    }),
    signal: ac.signal,
  });
  if (res.status !== 200) {
    await res.text();
    return res.status;
  }
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('Hello') && !text.includes('chatcmpl-2')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  ac.abort();
  return res.status;
}

const recordsOf = async (tool: string) =>
  (await h.admin.call('listRequests', { query: { tool, limit: '100' } })).records;

for (const [kind, body] of [
  ['a plain answer left at its first bytes', { model: 'gpt-4o-mini' }],
  ['a gpt-5 stream left at its first word', { model: 'gpt-5', stream: true }],
] as const) {
  it(`${kind}: ten of them in one minute on a 2,500 TPM`, async () => {
    const tool = `leaves-${body.model}`;
    const token = await h.tool(tool, { tpm: 2_500 });
    const before = generated;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(await leaveEarly(token, body));
      await expect.poll(async () => (await recordsOf(tool)).length).toBe(i + 1);
    }
    // Each held ~1,008 tokens at admission: two fit in 2,500, a third does not. Before: ten
    // admitted, the provider generated 10,080 tokens in the minute.
    const figures = `the provider generated ${generated - before} tokens on a 2,500 TPM; statuses ${statuses.join(',')}`;
    expect(generated - before, figures).toBeLessThanOrEqual(2_500);
    expect(statuses.filter((s) => s === 429).length, figures).toBe(8);
  });
}
