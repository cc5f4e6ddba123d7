// A mock provider for the real coding agents: Anthropic Messages, OpenAI Responses and Chat
// Completions, and Gemini's native API, on 127.0.0.1. It streams word by word with a pause between
// events (so incremental delivery is visible), reports a fixed usage per answer (so the cost of a
// run can be computed by hand from the number of answers), and plays one tool round trip: when
// the prompt asks to read a file, it calls the agent's own file-reading tool, and once the tool's
// result comes back it answers with that result.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const USAGE = { input: 1000, output: 50 };
export const WORDS = ['Hello', ' from', ' the', ' agent', ' mock', '.'];
export const STEP_MS = 120;
/** Put in a prompt: the mock answers with a call of the agent's read tool on this path. */
export const READ_MARKER = 'READ_FILE:';

export interface Answered {
  family: 'anthropic' | 'responses' | 'chat' | 'gemini';
  model: string;
  stream: boolean;
  headers: http.IncomingHttpHeaders;
  /** The tool call it made, or the tool result it saw. */
  toolCall?: string;
  toolResult?: string;
}

export interface AgentUpstream {
  url: string;
  answered: Answered[];
  /** Every request, answered or not (paths), for "no retry storm" counts. */
  paths: string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));

/** A tool an agent offers: its name and the argument names its schema declares. */
interface ToolDecl {
  name: string;
  props: string[];
}

const propsOf = (schema: unknown): string[] =>
  Object.keys(((schema as Json | undefined)?.properties as Json | undefined) ?? {});

/** The agent's read-a-file tool (or its shell), called with the argument names it declares. */
function readCall(tools: ToolDecl[], file: string): { name: string; args: Json } | undefined {
  const pick = (n: string) => tools.find((t) => t.name === n);
  const read = pick('Read') ?? pick('read') ?? pick('read_file');
  if (read) {
    const key = ['file_path', 'filePath', 'filepath', 'absolute_path', 'path'].find((k) =>
      read.props.includes(k),
    );
    return { name: read.name, args: { [key ?? 'file_path']: file } };
  }
  const shell = pick('shell') ?? pick('exec_command') ?? pick('shell_command');
  if (!shell) return undefined;
  if (shell.name === 'exec_command') return { name: shell.name, args: { cmd: `cat ${file}` } };
  if (shell.name === 'shell_command') return { name: shell.name, args: { command: `cat ${file}` } };
  return { name: shell.name, args: { command: ['cat', file] } };
}

/** What the conversation asks for: a tool result to echo, a file to read, or a plain answer. */
function plan(lastUserText: string, toolResult: string | undefined, tools: ToolDecl[]) {
  if (toolResult !== undefined)
    return { words: ['Tool', ' said:', ` ${toolResult.trim().slice(0, 200)}`], toolResult };
  const m = new RegExp(`${READ_MARKER}([^\\s"'<>]+)`).exec(lastUserText);
  const call = m ? readCall(tools, m[1]!) : undefined;
  if (call) return { call };
  return { words: WORDS };
}

export async function startAgentUpstream(): Promise<AgentUpstream> {
  const state: AgentUpstream = { url: '', answered: [], paths: [], close: async () => undefined };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    state.paths.push(`${req.method} ${url.pathname}`);
    let body: Json = {};
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
    } catch {
      /* not JSON */
    }
    const p = url.pathname;
    if (req.method === 'GET' && /\/models/.test(p))
      return send(res, 200, { object: 'list', data: [], models: [] });
    if (req.method !== 'POST') return send(res, 200, {});
    if (p.endsWith('/messages/count_tokens')) return send(res, 200, { input_tokens: USAGE.input });
    if (p.endsWith('/messages')) return anthropic(state, req, res, body);
    if (p.endsWith('/responses')) return responses(state, req, res, body);
    if (p.endsWith('/chat/completions')) return chat(state, req, res, body);
    const g = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(p);
    if (g) return gemini(state, req, res, body, g[1]!, g[2] === 'streamGenerateContent');
    if (p.endsWith(':countTokens')) return send(res, 200, { totalTokens: USAGE.input });
    send(res, 404, { error: { message: `agent mock: no route ${p}` } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** Keeps what a request asked for and what the mock did with it. */
function note(
  state: AgentUpstream,
  req: http.IncomingMessage,
  asked: Pick<Answered, 'family' | 'model' | 'stream'>,
  what: ReturnType<typeof plan>,
) {
  state.answered.push({
    ...asked,
    headers: req.headers,
    ...(what.call ? { toolCall: what.call.name } : {}),
    ...(what.toolResult !== undefined ? { toolResult: what.toolResult } : {}),
  });
}

function send(res: http.ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function sse(res: http.ServerResponse, events: string[]) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  for (const e of events) {
    if (res.destroyed) return;
    res.write(e);
    await sleep(STEP_MS);
  }
  res.end();
}

// ---------- Anthropic Messages ----------
function anthropic(state: AgentUpstream, req: http.IncomingMessage, res: http.ServerResponse, b: Json) {
  const messages = (b.messages as Array<{ role: string; content: unknown }>) ?? [];
  const last = messages[messages.length - 1];
  const blocks = Array.isArray(last?.content)
    ? (last.content as Json[])
    : [{ type: 'text', text: last?.content }];
  const result = blocks.find((x) => x.type === 'tool_result');
  const resultText = result
    ? Array.isArray(result.content)
      ? (result.content as Json[]).map((c) => text(c.text)).join('')
      : text(result.content)
    : undefined;
  const userText = blocks.map((x) => (x.type === 'text' ? text(x.text) : '')).join(' ');
  const tools = ((b.tools as Json[]) ?? []).map((t) => ({
    name: text(t.name),
    props: propsOf(t.input_schema),
  }));
  const what = plan(userText, resultText, tools);
  const model = text(b.model);
  note(state, req, { family: 'anthropic', model, stream: b.stream === true }, what);
  const usage = {
    input_tokens: USAGE.input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: USAGE.output,
  };
  const content = what.call
    ? [{ type: 'tool_use', id: 'toolu_mock1', name: what.call.name, input: what.call.args }]
    : [{ type: 'text', text: what.words!.join('') }];
  const stop = what.call ? 'tool_use' : 'end_turn';
  if (b.stream !== true)
    return send(res, 200, {
      id: 'msg_mock',
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stop,
      stop_sequence: null,
      usage,
    });
  const ev = (type: string, data: Json) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const events = [
    ev('message_start', {
      message: {
        id: 'msg_mock',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
  ];
  if (what.call) {
    events.push(
      ev('content_block_start', {
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_mock1', name: what.call.name, input: {} },
      }),
    );
    events.push(
      ev('content_block_delta', {
        index: 0,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(what.call.args) },
      }),
    );
  } else {
    events.push(ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    for (const w of what.words!)
      events.push(ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: w } }));
  }
  events.push(ev('content_block_stop', { index: 0 }));
  events.push(
    ev('message_delta', {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: USAGE.output },
    }),
  );
  events.push(ev('message_stop', {}));
  return sse(res, events);
}

// ---------- OpenAI Responses ----------
function responses(state: AgentUpstream, req: http.IncomingMessage, res: http.ServerResponse, b: Json) {
  const input = Array.isArray(b.input)
    ? (b.input as Json[])
    : [{ type: 'message', role: 'user', content: b.input }];
  const last = input[input.length - 1] ?? {};
  const resultText =
    last.type === 'function_call_output' || last.type === 'custom_tool_call_output'
      ? text(last.output)
      : undefined;
  const users = input.filter((i) => i.role === 'user');
  const lastUser = users[users.length - 1];
  const userText = Array.isArray(lastUser?.content)
    ? (lastUser.content as Json[]).map((c) => text(c.text)).join(' ')
    : text(lastUser?.content);
  const tools = ((b.tools as Json[]) ?? []).map((t) => ({
    name: text(t.name),
    props: propsOf(t.parameters),
  }));
  const what = plan(userText, resultText, tools);
  const model = text(b.model);
  note(state, req, { family: 'responses', model, stream: b.stream === true }, what);
  const item = what.call
    ? {
        type: 'function_call',
        id: 'fc_mock1',
        call_id: 'call_mock1',
        name: what.call.name,
        arguments: JSON.stringify(what.call.args),
        status: 'completed',
      }
    : {
        type: 'message',
        id: 'msg_mock',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: what.words!.join(''), annotations: [] }],
      };
  const usage = {
    input_tokens: USAGE.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: USAGE.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: USAGE.input + USAGE.output,
  };
  const response = {
    id: 'resp_mock',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model,
    output: [item],
    usage,
  };
  if (b.stream !== true) return send(res, 200, response);
  let seq = 0;
  const ev = (type: string, data: Json) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`;
  const events = [
    ev('response.created', { response: { ...response, status: 'in_progress', output: [], usage: null } }),
  ];
  if (what.call) {
    events.push(
      ev('response.output_item.added', {
        output_index: 0,
        item: { ...item, arguments: '', status: 'in_progress' },
      }),
    );
  } else {
    events.push(
      ev('response.output_item.added', {
        output_index: 0,
        item: { ...item, content: [], status: 'in_progress' },
      }),
    );
    for (const w of what.words!)
      events.push(
        ev('response.output_text.delta', {
          item_id: 'msg_mock',
          output_index: 0,
          content_index: 0,
          delta: w,
        }),
      );
  }
  events.push(ev('response.output_item.done', { output_index: 0, item }));
  events.push(ev('response.completed', { response }));
  return sse(res, events);
}

// ---------- OpenAI Chat Completions ----------
function chat(state: AgentUpstream, req: http.IncomingMessage, res: http.ServerResponse, b: Json) {
  const messages = (b.messages as Json[]) ?? [];
  const last = messages[messages.length - 1] ?? {};
  const resultText = last.role === 'tool' ? text(last.content) : undefined;
  const users = messages.filter((m) => m.role === 'user');
  const u = users[users.length - 1]?.content;
  const userText = Array.isArray(u) ? (u as Json[]).map((c) => text(c.text)).join(' ') : text(u);
  const tools = ((b.tools as Json[]) ?? []).map((t) => {
    const f = (t.function as Json | undefined) ?? {};
    return { name: text(f.name), props: propsOf(f.parameters) };
  });
  const what = plan(userText, resultText, tools);
  const model = text(b.model);
  note(state, req, { family: 'chat', model, stream: b.stream === true }, what);
  const usage = {
    prompt_tokens: USAGE.input,
    completion_tokens: USAGE.output,
    total_tokens: USAGE.input + USAGE.output,
  };
  const toolCalls = what.call
    ? [
        {
          index: 0,
          id: 'call_mock1',
          type: 'function',
          function: { name: what.call.name, arguments: JSON.stringify(what.call.args) },
        },
      ]
    : undefined;
  const finish = what.call ? 'tool_calls' : 'stop';
  if (b.stream !== true)
    return send(res, 200, {
      id: 'chatcmpl-mock',
      object: 'chat.completion',
      created: 1,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: what.words?.join('') ?? null,
            ...(toolCalls ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: finish,
        },
      ],
      usage,
    });
  const base = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model };
  const data = (v: Json) => `data: ${JSON.stringify({ ...base, ...v })}\n\n`;
  const events = [
    data({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
  ];
  if (toolCalls)
    events.push(data({ choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: null }] }));
  else
    for (const w of what.words!)
      events.push(data({ choices: [{ index: 0, delta: { content: w }, finish_reason: null }] }));
  events.push(data({ choices: [{ index: 0, delta: {}, finish_reason: finish }] }));
  events.push(data({ choices: [], usage }));
  events.push('data: [DONE]\n\n');
  return sse(res, events);
}

// ---------- Gemini ----------
function gemini(
  state: AgentUpstream,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  b: Json,
  model: string,
  stream: boolean,
) {
  const contents = (b.contents as Json[]) ?? [];
  const last = contents[contents.length - 1] ?? {};
  const parts = (last.parts as Json[]) ?? [];
  const fr = parts.find((p) => p.functionResponse)?.functionResponse as Json | undefined;
  const resultText = fr ? text((fr.response as Json | undefined)?.output ?? fr.response) : undefined;
  const userText = parts.map((p) => text(p.text ?? '')).join(' ');
  const decls = ((b.tools as Json[]) ?? []).flatMap((t) => (t.functionDeclarations as Json[]) ?? []);
  const what = plan(
    userText,
    resultText,
    decls.map((d) => ({ name: text(d.name), props: propsOf(d.parametersJsonSchema ?? d.parameters) })),
  );
  note(state, req, { family: 'gemini', model, stream: stream }, what);
  const usageMetadata = {
    promptTokenCount: USAGE.input,
    candidatesTokenCount: USAGE.output,
    totalTokenCount: USAGE.input + USAGE.output,
  };
  const chunk = (partsOut: Json[], finish?: string, usage?: Json) => ({
    candidates: [
      { content: { role: 'model', parts: partsOut }, index: 0, ...(finish ? { finishReason: finish } : {}) },
    ],
    ...(usage ? { usageMetadata: usage } : {}),
    modelVersion: model,
  });
  const outParts = what.call
    ? [{ functionCall: { name: what.call.name, args: what.call.args } }]
    : [{ text: what.words!.join('') }];
  if (!stream) return send(res, 200, chunk(outParts, 'STOP', usageMetadata));
  const events = what.call
    ? [chunk(outParts, 'STOP', usageMetadata)]
    : what.words!.map((w, i, all) =>
        i === all.length - 1 ? chunk([{ text: w }], 'STOP', usageMetadata) : chunk([{ text: w }]),
      );
  return sse(
    res,
    events.map((e) => `data: ${JSON.stringify(e)}\n\n`),
  );
}
