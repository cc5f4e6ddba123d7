// A provider on loopback whose answer depends on the request: `answer` gets the path and the parsed
// JSON body and returns the JSON to answer with (200). For tests that need a billing behaviour the
// shared fake upstream does not have (a tier, searches, a stored conversation).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonProvider {
  url: string;
  close(): Promise<void>;
}

export async function startJsonProvider(
  answer: (path: string, body: Record<string, unknown>) => unknown,
): Promise<JsonProvider> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer(req.url ?? '', body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
