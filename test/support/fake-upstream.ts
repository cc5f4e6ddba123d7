// A real OpenAI + Anthropic compatible upstream on 127.0.0.1 for tests: it answers the shapes the
// providers send (usage fields included), records what it received, and can be told to fail,
// stall or stream slowly through the model name.
//   model "fail-500" / "fail-429" / "fail-401" → that status with a provider-style error body
//   model "slow-stream"                          → a stream that sends a chunk every 50 ms for 10 s
//   model "slow-stream-3s"                       → the same, 62 chunks (about 3 s)
//   model "late-stream"                          → a stream whose first event comes 500 ms after its headers
//   model "cut-stream"                           → a stream whose socket is destroyed after 2 chunks
//   model "flood-stream"                         → 32 MiB of 64 KiB content chunks as fast as the
//                                                  connection takes them (bytes so far: floodWritten)
//   a key containing "revoked"                   → 401, as a provider answers a revoked key
//   writeToLimit set                             → every answer writes as much as it may: the
//                                                  output limit the body names (× n), else writeToLimit
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerGemini } from './fake-gemini.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The whole request target, query string included. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** The body exactly as it arrived (UTF-8). */
  rawBody: string;
}

export interface FakeUsage {
  prompt: number;
  completion: number;
  cached?: number;
  reasoning?: number;
  cacheWrite?: number; // anthropic
  cacheRead?: number; // anthropic
}

export interface FakeUpstream {
  url: string;
  received: ReceivedRequest[];
  /** Requests whose client connection closed before the answer was complete. */
  aborted: string[];
  /** Usage the next answers report (default prompt 12, completion 5). */
  usage: FakeUsage;
  /** When set, answers report the output limit they were sent (max_tokens, max_completion_tokens,
   *  max_output_tokens, × n) as their completion tokens, or this many when the body names none:
   *  a model that always writes to its limit, the worst case a budget must hold against. */
  writeToLimit?: number;
  /** Bytes of the current "flood-stream" answer written so far (honouring back-pressure). */
  floodWritten: number;
  close(): Promise<void>;
}

const words = ['Hello', ' from', ' the', ' fake', ' upstream', '!'];

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const state: FakeUpstream = {
    url: '',
    received: [],
    aborted: [],
    usage: { prompt: 12, completion: 5 },
    floodWritten: 0,
    close: async () => undefined,
  };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* not JSON: keep raw */
    }
    const path = (req.url ?? '/').split('?')[0]!;
    state.received.push({
      method: req.method ?? 'GET',
      path,
      url: req.url ?? '/',
      headers: req.headers,
      body,
      rawBody: raw,
    });
    const b = (body ?? {}) as Record<string, unknown>;
    const model = String(b.model ?? '');
    let finished = false;
    res.on('finish', () => (finished = true));
    res.on('close', () => {
      if (!finished) state.aborted.push(model || path);
    });
    const credential = String(
      req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? '',
    );
    if (credential.includes('revoked')) return sendFailure(res, path, 401);
    const fail = /^fail-(\d{3})$/.exec(model);
    if (fail) return sendFailure(res, path, Number(fail[1]));
    if (path === '/v1/models')
      return json(res, {
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'openai' }],
      });
    if (path === '/v1/embeddings') {
      // The official SDK asks for base64 by default and decodes it into floats itself.
      const floats = [0.1, 0.2, 0.3];
      const embedding =
        b.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(floats).buffer).toString('base64')
          : floats;
      return json(res, {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding }],
        model,
        usage: { prompt_tokens: state.usage.prompt, total_tokens: state.usage.prompt },
      });
    }
    const usage = answerUsage(state, b);
    if (path === '/v1/chat/completions') return chat(res, b, model, state, usage);
    if (path === '/v1/responses') return responses(res, b, model, usage);
    if (path === '/v1/messages') return messages(res, b, model, usage);
    if (path === '/v1/messages/count_tokens') return json(res, { input_tokens: 42 });
    if (answerGemini(res, path, state.usage)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: {
          message: `fake upstream: no route ${path}`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}

function json(res: http.ServerResponse, value: unknown, status = 200) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_fake' });
  res.end(text);
}

function sendFailure(res: http.ServerResponse, path: string, status: number) {
  if (path.startsWith('/v1/messages')) {
    return json(
      res,
      {
        type: 'error',
        error: {
          type: status === 429 ? 'rate_limit_error' : 'api_error',
          message: `upstream says ${status}`,
        },
      },
      status,
    );
  }
  return json(
    res,
    {
      error: {
        message: `upstream says ${status}`,
        type: 'server_error',
        param: null,
        code: `upstream_${status}`,
      },
    },
    status,
  );
}

function sseStart(res: http.ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

async function drip(res: http.ServerResponse, model: string, events: string[], cutAfter?: number) {
  const slow = model === 'slow-stream' || model === 'slow-stream-3s';
  if (model === 'late-stream') await new Promise((r) => setTimeout(r, 500));
  let i = 0;
  for (const e of events) {
    if (res.destroyed) return;
    res.write(e);
    i++;
    if (cutAfter !== undefined && i >= cutAfter) {
      res.socket?.destroy();
      return;
    }
    if (slow) await new Promise((r) => setTimeout(r, 50));
  }
  res.end();
}

export const FLOOD_EVENTS = 512;

/** Writes FLOOD_EVENTS 64 KiB chunks, each only when the socket has room: a slow reader stalls it. */
async function flood(res: http.ServerResponse, state: FakeUpstream, base: Record<string, unknown>) {
  const event = `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'x'.repeat(65536) }, finish_reason: null }] })}\n\n`;
  state.floodWritten = 0;
  sseStart(res);
  for (let i = 0; i < FLOOD_EVENTS; i++) {
    if (res.destroyed) return;
    state.floodWritten += event.length;
    if (!res.write(event)) await new Promise((r) => res.once('drain', r));
  }
  res.end('data: [DONE]\n\n');
}

function chatUsage(u: FakeUsage) {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
    prompt_tokens_details: { cached_tokens: u.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
  };
}

function answerUsage(state: FakeUpstream, b: Record<string, unknown>): FakeUsage {
  if (state.writeToLimit === undefined) return state.usage;
  const limit = [b.max_completion_tokens, b.max_tokens, b.max_output_tokens].find(
    (x) => typeof x === 'number',
  );
  const n = typeof b.n === 'number' ? b.n : 1;
  return { ...state.usage, completion: typeof limit === 'number' ? limit * n : state.writeToLimit };
}

const servedTier = (b: Record<string, unknown>) =>
  typeof b.service_tier === 'string' && b.service_tier !== 'auto' ? b.service_tier : 'default';

function chat(
  res: http.ServerResponse,
  b: Record<string, unknown>,
  model: string,
  state: FakeUpstream,
  u: FakeUsage = state.usage,
) {
  // OpenAI says in every answer which tier served it: the named one, else the project's (standard).
  const service_tier = servedTier(b);
  if (b.stream !== true) {
    return json(res, {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1,
      model,
      service_tier,
      choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
      usage: chatUsage(u),
    });
  }
  const includeUsage = (b.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const base = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1, model, service_tier };
  if (model === 'flood-stream') return flood(res, state, base);
  const extra = includeUsage ? { usage: null } : {};
  const repeat = model === 'slow-stream' ? 200 : model === 'slow-stream-3s' ? 10 : 1;
  const events: string[] = [];
  events.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], ...extra })}\n\n`,
  );
  for (let r = 0; r < repeat; r++) {
    for (const w of words)
      events.push(
        `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: w }, finish_reason: null }], ...extra })}\n\n`,
      );
  }
  events.push(
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...extra })}\n\n`,
  );
  if (includeUsage) events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: chatUsage(u) })}\n\n`);
  events.push('data: [DONE]\n\n');
  sseStart(res);
  void drip(res, model, events, model === 'cut-stream' ? 2 : undefined);
}

function responsesUsage(u: FakeUsage) {
  return {
    input_tokens: u.prompt,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.completion,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: u.prompt + u.completion,
  };
}

function responses(res: http.ServerResponse, b: Record<string, unknown>, model: string, u: FakeUsage) {
  const response = {
    id: 'resp_fake',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model,
    service_tier: servedTier(b),
    output: [
      {
        type: 'message',
        id: 'msg_fake',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: words.join(''), annotations: [] }],
      },
    ],
    usage: responsesUsage(u),
  };
  if (b.stream !== true) return json(res, response);
  const events: string[] = [];
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  events.push(
    ev('response.created', { response: { ...response, status: 'in_progress', output: [], usage: null } }),
  );
  for (const w of words)
    events.push(
      ev('response.output_text.delta', { item_id: 'msg_fake', output_index: 0, content_index: 0, delta: w }),
    );
  events.push(ev('response.completed', { response }));
  sseStart(res);
  void drip(res, model, events);
}

function messages(res: http.ServerResponse, b: Record<string, unknown>, model: string, u: FakeUsage) {
  const usage = {
    input_tokens: u.prompt,
    cache_creation_input_tokens: u.cacheWrite ?? 0,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.completion,
  };
  if (b.stream !== true) {
    return json(res, {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: words.join('') }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    });
  }
  const ev = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const repeat = model === 'slow-stream' ? 200 : model === 'slow-stream-3s' ? 10 : 1;
  const events: string[] = [
    ev('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('ping', {}),
  ];
  for (let r = 0; r < repeat; r++)
    for (const w of words)
      events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } }));
  events.push(ev('content_block_stop', { index: 0 }));
  // Cumulative: a proxy that adds these up would count 2 + 5 = 7 output tokens, not 5.
  events.push(
    ev('message_delta', { delta: { stop_reason: null, stop_sequence: null }, usage: { output_tokens: 2 } }),
  );
  events.push(
    ev('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: u.completion },
    }),
  );
  events.push(ev('message_stop', {}));
  sseStart(res);
  void drip(res, model, events, model === 'cut-stream' ? 3 : undefined);
}
