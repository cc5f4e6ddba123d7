// A provider on loopback whose answer depends on the request: `answer` gets the path and the parsed
// JSON body and returns the JSON to answer with (200). For tests that need a billing behaviour the
// shared fake upstream does not have (a tier, searches, a stored conversation). A body that is not
// JSON (a multipart transcription) comes as `{}`, its bytes in `raw`. Answering CUT closes the
// connection once the whole request was read: the provider may bill it, Shimmy reads no answer;
// RESET does the same with an RST (ECONNRESET at Shimmy).
// An answer may also be a promise (a provider that takes its time, or never answers), a status other
// than 200 (statusAnswer), a stream (sseAnswer, of chatChunk events) or a body in pieces
// (piecesAnswer). A stream or body may pause between its writes (pause: for a time, or until a
// promise settles) and stay open after its last (`open`), for the tests of a client that leaves
// mid-answer; what comes after a pause is not written once the client has gone.
// Beside it, what the budget tests built again in each file: a harness pointed at it for the
// file's tests (harnessOnJsonProvider), a request that resolves to its status (postStatus; postRead
// for its headers and text too), and each API's answer envelope (messagesAnswer, responsesAnswer
// with imageGenUsage, geminiAnswer, chatAnswer).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness } from './harness.js';

export interface JsonProvider {
  url: string;
  close(): Promise<void>;
}

export const CUT = Symbol('cut');
export const RESET = Symbol('reset');

/** `path` is the request's URL path with its query. */
export type Answer = (
  path: string,
  body: Record<string, unknown>,
  raw: Buffer,
  headers: http.IncomingHttpHeaders,
) => unknown;

/** A wait between two writes of an answer: `until` ms, or until the promise settles (a test that
 *  moves on when it chooses); then `then` runs, whether or not the client is still there (what the
 *  provider generated, and bills, meanwhile). What was written before it (the headers too) goes out
 *  before it. */
class Pause {
  constructor(
    readonly until: number | Promise<unknown>,
    readonly then?: () => void,
  ) {}
  async over(): Promise<void> {
    await (typeof this.until === 'number'
      ? new Promise((r) => setTimeout(r, this.until as number))
      : this.until);
    this.then?.();
  }
}
export const pause = (until: number | Promise<unknown>, then?: () => void): Pause => new Pause(until, then);

/** One write of an answer: its text, a pause, or a function called for its text when its turn
 *  comes, only if the client is still there (a provider that bills what it sends). */
export type Piece = string | Pause | (() => string);

/** An answer that is not a 200 JSON: its status, content type, and body in the writes it comes in;
 *  `open`, it does not end after them (it ends when the client leaves). */
class Reply {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly writes: Piece[],
    readonly open = false,
  ) {}
}

/** An answer with `status` (an API error) and `json` as its body. */
export const statusAnswer = (status: number, json: unknown): Reply =>
  new Reply(status, 'application/json', [JSON.stringify(json)]);

/** A 200 answer of `type` whose body goes in these `pieces` (text written as given). */
export const piecesAnswer = (type: string, pieces: Piece[], x: { open?: boolean } = {}): Reply =>
  new Reply(200, type, pieces, x.open);

/** A streamed answer as OpenAI sends one: each event a `data:` message in a write of its own, then
 *  `data: [DONE]`. `named`: as Anthropic and the Responses API send one, each message with an
 *  `event:` line naming the event's `type`, and no [DONE]. `open`: no [DONE], and the stream does
 *  not end. An event may be a pause, or a function called for the event when its turn comes (see
 *  Piece). */
export const sseAnswer = (events: unknown[], x: { named?: boolean; open?: boolean } = {}): Reply => {
  const message = (e: unknown) =>
    `${x.named ? `event: ${(e as { type: string }).type}\n` : ''}data: ${JSON.stringify(e)}\n\n`;
  const pieces = events.map((e): Piece =>
    e instanceof Pause ? e : typeof e === 'function' ? () => message((e as () => unknown)()) : message(e),
  );
  return new Reply(
    200,
    'text/event-stream',
    x.named || x.open ? pieces : [...pieces, 'data: [DONE]\n\n'],
    x.open,
  );
};

/** Writes `out`, pausing where it says, and stops once the client has gone. */
async function send(res: http.ServerResponse, out: Reply): Promise<void> {
  res.writeHead(out.status, { 'content-type': out.type });
  // writeHead only stores the headers (headersSent is already true): they go with the first write.
  let wrote = false;
  for (const w of out.writes) {
    if (w instanceof Pause) {
      if (!wrote) res.flushHeaders();
      wrote = true;
      await w.over();
    } else if (res.destroyed) return;
    else {
      res.write(typeof w === 'function' ? w() : w);
      wrote = true;
    }
  }
  if (!res.destroyed && !out.open) res.end();
}

export async function startJsonProvider(answer: Answer): Promise<JsonProvider> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const form = /^multipart\//.test(req.headers['content-type'] ?? '');
      const body = (form ? {} : JSON.parse(raw.toString('utf8'))) as Record<string, unknown>;
      void Promise.resolve(answer(req.url ?? '', body, raw, req.headers)).then((out) => {
        if (out === CUT) return void req.socket.destroy();
        if (out === RESET) return void req.socket.resetAndDestroy();
        if (!(out instanceof Reply))
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
        void send(res, out);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // What is still open (a stream that never ends, an answer that never came) is cut.
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** For a test file: a harness (started with `options`, if any), started before its tests and closed
 *  after them, with each of `providers` pointed at one JSON provider that answers with `answer`.
 *  `started` is handed the harness once it is up (the file keeps it in its own `h`). */
export function harnessOnJsonProvider(
  providers: ReadonlyArray<Parameters<Harness['point']>[0]>,
  started: (h: Harness) => void,
  answer: Answer,
  options?: Parameters<typeof startHarness>[0],
): void {
  let h: Harness | undefined;
  let provider: JsonProvider | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
    provider = await startJsonProvider(answer);
    for (const name of providers) await h.point(name, provider.url);
    started(h);
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });
}

/** POSTs `body` as JSON to the harness at `path` with `token` as that API's credential (Anthropic's
 *  `x-api-key` on /v1/messages, Gemini's `x-goog-api-key` under /v1beta, else a bearer token) and
 *  any further `headers`; resolves to the answer's status once it has been read. */
export async function postStatus(
  h: Harness,
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<number> {
  return (await postRead(h, path, token, body, headers)).status;
}

/** As postStatus, for a test that reads the answer too: its status, headers and text. */
export async function postRead(
  h: Harness,
  path: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const auth: Record<string, string> = path.startsWith('/v1/messages')
    ? { 'x-api-key': token, 'anthropic-version': '2023-06-01' }
    : path.startsWith('/v1beta/')
      ? { 'x-goog-api-key': token }
      : { authorization: `Bearer ${token}` };
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** An Anthropic Messages answer from claude-sonnet-4-5 (unless `model` says otherwise): one text
 *  block, `usage` of `input` and `outputTokens` tokens plus any other usage member given
 *  (`server_tool_use`). */
export function messagesAnswer(x: {
  id: string;
  stop_reason: 'end_turn' | 'max_tokens';
  input: number;
  outputTokens: number;
  model?: string;
  text?: string;
  [usageMember: string]: unknown;
}): Record<string, unknown> {
  const { id, stop_reason, input, outputTokens, model, text, ...usage } = x;
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: model ?? 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: text ?? 'ok' }],
    stop_reason,
    usage: { input_tokens: input, output_tokens: outputTokens, ...usage },
  };
}

/** A Gemini generateContent answer from gemini-2.5-flash (unless `model` says otherwise): one
 *  candidate with `text` (and any other candidate member given in `candidate`), `usageMetadata` of
 *  `input` prompt and `outputTokens` candidate tokens plus the members in `usage`, its total the sum
 *  of all (thoughts are outside the candidate tokens). */
export function geminiAnswer(x: {
  text: string;
  finishReason: 'STOP' | 'MAX_TOKENS';
  input: number;
  outputTokens: number;
  model?: string;
  candidate?: Record<string, unknown>;
  usage?: { toolUsePromptTokenCount?: number; thoughtsTokenCount?: number; [member: string]: unknown };
}): Record<string, unknown> {
  const toolUse = x.usage?.toolUsePromptTokenCount ?? 0;
  const thoughts = x.usage?.thoughtsTokenCount ?? 0;
  return {
    candidates: [
      { content: { role: 'model', parts: [{ text: x.text }] }, finishReason: x.finishReason, ...x.candidate },
    ],
    usageMetadata: {
      promptTokenCount: x.input,
      ...x.usage,
      candidatesTokenCount: x.outputTokens,
      totalTokenCount: x.input + toolUse + x.outputTokens + thoughts,
    },
    modelVersion: x.model ?? 'gemini-2.5-flash',
  };
}

/** A Chat Completions answer: one assistant message (`text`, else "ok"), `usage` of `input` prompt
 *  and `outputTokens` completion tokens; any other top-level member (`service_tier`) as given. */
export function chatAnswer(x: {
  id: string;
  model: string;
  finish_reason: 'stop' | 'length';
  input: number;
  outputTokens: number;
  text?: string;
  [member: string]: unknown;
}): Record<string, unknown> {
  const { id, model, finish_reason, input, outputTokens, text, ...more } = x;
  return {
    id,
    object: 'chat.completion',
    created: 1,
    model,
    ...more,
    choices: [{ index: 0, message: { role: 'assistant', content: text ?? 'ok' }, finish_reason }],
    usage: { prompt_tokens: input, completion_tokens: outputTokens, total_tokens: input + outputTokens },
  };
}

/** One event of a streamed Chat Completions answer: its one choice's `delta`, and `finish_reason`
 *  (null until the last). */
export function chatChunk(
  model: string,
  delta: Record<string, unknown>,
  finish_reason: 'stop' | 'length' | null = null,
): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [{ index: 0, delta, finish_reason }],
  };
}

/** The last event of a streamed Chat Completions answer asked for with
 *  `stream_options.include_usage`: no choices, `usage` of `input` prompt and `outputTokens`
 *  completion tokens. */
export function chatUsageChunk(model: string, input: number, outputTokens: number): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model,
    choices: [],
    usage: { prompt_tokens: input, completion_tokens: outputTokens, total_tokens: input + outputTokens },
  };
}

/** A Responses API answer (served at the default tier) with `output` items and `usage` of `input`
 *  and `outputTokens` tokens; any other member (`tool_usage`) goes as given. */
export function responsesAnswer(x: {
  id: string;
  status: 'completed' | 'incomplete';
  model: unknown;
  output: unknown[];
  input: number;
  outputTokens: number;
  [member: string]: unknown;
}): Record<string, unknown> {
  const { id, status, model, output, input, outputTokens, ...more } = x;
  return {
    id,
    object: 'response',
    created_at: 1,
    status,
    model,
    service_tier: 'default',
    output,
    ...more,
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + outputTokens,
    },
  };
}

/** A Responses answer's `tool_usage` for the image generation tool (as OpenAI reports it apart from
 *  the model's usage): `textIn` prompt tokens and `imageIn` image tokens read, `imageOut` written. */
export function imageGenUsage(textIn: number, imageOut: number, imageIn = 0): Record<string, unknown> {
  return {
    image_gen: {
      input_tokens: textIn + imageIn,
      input_tokens_details: { text_tokens: textIn, image_tokens: imageIn },
      output_tokens: imageOut,
      output_tokens_details: { image_tokens: imageOut, text_tokens: 0 },
      total_tokens: textIn + imageIn + imageOut,
    },
  };
}
