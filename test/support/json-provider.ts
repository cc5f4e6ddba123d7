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
