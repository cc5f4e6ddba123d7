// What a request keeps of its parsed body while its answer is still open (issue 16: memory per open
// stream). An agent's request is its whole conversation (100 kB+), and its stream lasts minutes:
// whatever still reaches the parsed body keeps it all that time. Each request here carries a text
// of its own; after a full GC, the heap (v8.getHeapSnapshot) is searched for those texts while every
// answer is open. A control text the test keeps alive on purpose must be found: the search sees
// what is kept. Real core, real loopback HTTP, a provider on loopback that holds its streams open.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { textsInHeap } from '../support/heap-texts.js';

const STREAMS = 8;
/** Its own per run, so no other test's heap holds it. */
const TAG = `rtn${process.pid}q`;
const textOf = (i: number) => `${TAG}${i}z please write a long answer`;

const CHAT_CHUNK =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}\n\n';
/** Anthropic's first event: the provider's own input count (with its cache reads and writes). */
const MESSAGE_START =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}\n\n';

let h!: Harness;
let provider: http.Server;
/** The provider's open answers and the client's open requests, ended in afterAll. */
const answers = new Set<http.ServerResponse>();
const clients = new Set<http.ClientRequest>();
const agent = new http.Agent({ keepAlive: false });

beforeAll(async () => {
  // Never parses what it gets (its own parse would hold the texts): drains it, answers one chunk
  // and holds the stream open.
  provider = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(req.url?.startsWith('/v1/messages') ? MESSAGE_START : CHAT_CHUNK);
      answers.add(res);
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  h = await startHarness();
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  await h.point('openai', url);
  await h.point('anthropic', url);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const res of answers) res.end();
  agent.destroy();
  await new Promise((r) => provider.close(r));
  await h.close();
});

/** The request's bytes, built here so that no string of the text outlives this call. */
const bodyOf = (i: number) =>
  Buffer.from(
    JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: textOf(i) }],
    }),
  );

const anthropicBodyOf = (i: number) =>
  Buffer.from(
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: textOf(i) }],
    }),
  );

/** Sends a streamed chat (or Messages) request; resolves once its answer's first bytes came (it
 *  stays open). */
function openStream(token: string, i: number, anthropic = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.core.url}${anthropic ? '/v1/messages' : '/v1/chat/completions'}`, {
      method: 'POST',
      agent,
      headers: anthropic
        ? { 'content-type': 'application/json', 'x-api-key': token, 'anthropic-version': '2023-06-01' }
        : { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    });
    clients.add(req);
    req.on('error', () => undefined); // destroyed in afterAll
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      res.once('data', () => resolve());
      res.resume();
    });
    req.end(anthropic ? anthropicBodyOf(i) : bodyOf(i));
  });
}

it(
  'an open stream keeps none of its parsed request once it was counted and sent',
  { timeout: 60_000 },
  async () => {
    // A TPM limit: every request's input is counted exactly at admit (check-and-reserve.ts).
    const token = await h.tool('retention', { tpm: 10_000_000 });
    // A first one unmeasured: what the first request loads (the tokenizer) is not per stream.
    await openStream(token, 1000);
    for (let i = 0; i < STREAMS; i++) await openStream(token, i);
    expect(answers.size).toBe(STREAMS + 1);
    // Flat, as a parsed text is (a concatenation is not one string in the heap).
    const control = [JSON.parse(JSON.stringify(textOf(9999))) as string];
    const found = await textsInHeap(TAG);
    // The search finds a text that is kept.
    expect(found.has('9999')).toBe(true);
    expect(control).toHaveLength(1);
    // Before, the handler's suspended frame kept the parsed body (its `fields` and `body`) in most
    // open streams, and InputTokens kept it once counted: 8 of 8.
    const kept = [...found].filter((i) => Number(i) < STREAMS);
    expect(kept).toEqual([]);
  },
);

it(
  'an open Messages stream keeps none of its parsed request once the provider counted its input',
  { timeout: 60_000 },
  async () => {
    // No limits: nothing counts the input at admit, so the parsed request was kept for a count in
    // case the stream is cut before the provider's own — which message_start has already given.
    const token = await h.tool('retention-anthropic');
    for (let i = 100; i < 100 + STREAMS; i++) await openStream(token, i, true);
    const control = [JSON.parse(JSON.stringify(textOf(9998))) as string];
    const found = await textsInHeap(TAG);
    expect(found.has('9998')).toBe(true);
    expect(control).toHaveLength(1);
    const kept = [...found].filter((i) => Number(i) >= 100 && Number(i) < 100 + STREAMS);
    expect(kept).toEqual([]);
  },
);
