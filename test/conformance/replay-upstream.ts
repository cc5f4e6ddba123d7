// A loopback provider that answers with exactly the usage object a test gives it, in the wire shape
// of the endpoint asked (chat, Responses, embeddings, Anthropic messages), plain or streamed: the
// conformance suite replays providers' real usage objects through the real proxy with it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayUpstream {
  url: string;
  /** The usage object the next answers carry, verbatim. */
  usage: Record<string, unknown>;
  /** Top-level fields of the answer next to `usage` (OpenAI's `service_tier`). */
  top: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startReplayUpstream(): Promise<ReplayUpstream> {
  const state: ReplayUpstream = { url: '', usage: {}, top: {}, close: async () => undefined };
  const server = http.createServer(async (req, res) => {
    let raw = '';
    for await (const c of req) raw += String(c);
    const body = (raw ? JSON.parse(raw) : {}) as { model?: string; stream?: boolean };
    const model = body.model ?? '';
    const path = (req.url ?? '').split('?')[0]!;
    const usage = state.usage;
    if (path.endsWith('/chat/completions')) {
      const base = { id: 'c1', object: 'chat.completion', created: 1, model, ...state.top };
      if (!body.stream)
        return json(res, {
          ...base,
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage,
        });
      return sse(
        res,
        [
          {
            ...base,
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: null }],
          },
          {
            ...base,
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
          },
          { ...base, object: 'chat.completion.chunk', choices: [], usage },
        ],
        true,
      );
    }
    if (path.endsWith('/responses')) {
      // The case's own top-level fields (its output items) over an empty answer.
      const response = {
        output: [],
        ...state.top,
        id: 'r1',
        object: 'response',
        created_at: 1,
        status: 'completed',
        model,
        usage,
      };
      if (!body.stream) return json(res, response);
      return sse(res, [
        { type: 'response.created', response: { ...response, status: 'in_progress', usage: null } },
        { type: 'response.completed', response },
      ]);
    }
    if (path.endsWith('/embeddings'))
      return json(res, {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: [0.1] }],
        model,
        usage,
      });
    if (path.endsWith('/messages')) {
      const message = {
        id: 'm1',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: 'ok' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage,
      };
      if (!body.stream) return json(res, message);
      const { output_tokens, ...start } = usage;
      return sse(res, [
        {
          type: 'message_start',
          message: { ...message, content: [], stop_reason: null, usage: { ...start, output_tokens: 1 } },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { ...usage, output_tokens },
        },
        { type: 'message_stop' },
      ]);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}

function json(res: http.ServerResponse, value: unknown) {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

function sse(res: http.ServerResponse, events: Array<Record<string, unknown>>, done = false) {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) {
    const type = typeof e.type === 'string' ? `event: ${e.type}\n` : '';
    res.write(`${type}data: ${JSON.stringify(e)}\n\n`);
  }
  res.end(done ? 'data: [DONE]\n\n' : '');
}
