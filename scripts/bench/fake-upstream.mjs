// A stand-in for api.openai.com on loopback: POST /v1/chat/completions answers a realistic small
// chat completion (gpt-4o-mini, with usage), or for `stream: true` 20 content chunks, a finish
// chunk, the usage chunk when stream_options.include_usage, then `data: [DONE]` — no artificial delay.
import http from 'node:http';
import { benchAnswer } from './bench-answers.mjs';

const MODEL = 'gpt-4o-mini-2024-07-18';
const WORDS =
  'Shimmy keeps every provider key in the keychain and meters each request so a budget is a hard limit not a hope'.split(
    ' ',
  );
/** The usage every answer reports: the bench checks the ledger against it. */
export const FAKE_USAGE = { prompt_tokens: 38, completion_tokens: 20, total_tokens: 58 };

const usage = {
  ...FAKE_USAGE,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};
const created = Math.floor(Date.now() / 1000);
const id = 'chatcmpl-BenchBenchBenchBenchBench01';
const text = WORDS.slice(0, 20).join(' ');

const completion = Buffer.from(
  JSON.stringify({
    id,
    object: 'chat.completion',
    created,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_bench0001',
  }),
);

/** The SSE events of one streamed answer, pre-rendered: the upstream must cost as little CPU as it can. */
export function streamEvents(includeUsage) {
  const chunk = (choices, extra = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL, service_tier: 'default', system_fingerprint: 'fp_bench0001', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
  const events = [
    chunk([
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
  ];
  for (let i = 0; i < 20; i++) {
    events.push(
      chunk([
        { index: 0, delta: { content: (i ? ' ' : '') + WORDS[i] }, logprobs: null, finish_reason: null },
      ]),
    );
  }
  events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  if (includeUsage) events.push(chunk([], { usage }));
  events.push('data: [DONE]\n\n');
  return events.map((e) => Buffer.from(e));
}
const streamWithUsage = streamEvents(true);
const streamWithoutUsage = streamEvents(false);

function handle(req, res) {
  if (req.method !== 'POST' || !req.url.startsWith('/v1/chat/completions')) {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}');
    return;
  }
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    if (benchAnswer(req, res, Buffer.concat(parts))) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"error":{"message":"bad json","type":"invalid_request_error","param":null,"code":null}}');
      return;
    }
    const headers = {
      'x-request-id': 'req_bench',
      'openai-processing-ms': '1',
      'x-ratelimit-remaining-requests': '9999',
    };
    if (!body.stream) {
      res
        .writeHead(200, {
          ...headers,
          'content-type': 'application/json',
          'content-length': completion.length,
        })
        .end(completion);
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    // One write per event, as a real provider's stream arrives.
    for (const e of body.stream_options?.include_usage ? streamWithUsage : streamWithoutUsage) res.write(e);
    res.end();
  });
}

/** Starts the fake upstream on 127.0.0.1 (port 0) and returns its origin, e.g. `http://127.0.0.1:41234`. */
export async function startFakeUpstream() {
  const server = http.createServer(handle);
  server.keepAliveTimeout = 65_000;
  // The same accept queue as Shimmy's (main/core/server.ts): a burst of connections is measured
  // against the proxy's work, not against Node's default backlog of 511.
  await new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, server };
}
