// A provider on loopback whose answer depends on the request: `answer` gets the path and the parsed
// JSON body and returns the JSON to answer with (200). For tests that need a billing behaviour the
// shared fake upstream does not have (a tier, searches, a stored conversation). A body that is not
// JSON (a multipart transcription) comes as `{}`, its bytes in `raw`. Answering CUT closes the
// connection once the whole request was read: the provider may bill it, Shimmy reads no answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonProvider {
  url: string;
  close(): Promise<void>;
}

export const CUT = Symbol('cut');

export async function startJsonProvider(
  answer: (path: string, body: Record<string, unknown>, raw: Buffer) => unknown,
): Promise<JsonProvider> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const form = /^multipart\//.test(req.headers['content-type'] ?? '');
      const body = (form ? {} : JSON.parse(raw.toString('utf8'))) as Record<string, unknown>;
      const out = answer(req.url ?? '', body, raw);
      if (out === CUT) return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
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
