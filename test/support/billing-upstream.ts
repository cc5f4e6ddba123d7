// A loopback provider that reads requests the lenient way real providers do, and counts what it
// would bill. Its router decodes %-escapes, treats `\` as `/`, resolves dot segments, collapses
// slashes, drops trailing slashes and ignores case; it parses a JSON body whatever its
// Content-Type, inflates a gzip body and reads form bodies. So a request that slips past Shimmy's classification
// still gets served — and shows up in `billed`.
// Header `x-test-behavior` (forwarded by the proxy; the model stays a priced one):
//   "slow-answer" → the answer comes after 1.5 s (a client can leave before it starts)
//   "hang"        → no answer at all (the proxy's upstream timeout fires)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Billed {
  /** The path as the proxy sent it. */
  rawPath: string;
  /** The endpoint the provider served it as. */
  route: string;
  model: string;
  contentType: string;
}

export interface BillingUpstream {
  url: string;
  /** Every request the provider served as something it bills. */
  billed: Billed[];
  close(): Promise<void>;
}

/** Chat usage every answer reports: 1,000 prompt tokens, 500 completion tokens. */
export const CHAT_USAGE = { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 };

/** The provider's own router: lenient on purpose. */
export function providerRoute(rawPath: string): string {
  const parsed = new URL(rawPath, 'http://provider.invalid').pathname;
  const segments = parsed
    .split('/')
    .map((s) => decodeURIComponent(s))
    .flatMap((s) => s.split('/'))
    .filter((s) => s !== '' && s !== '.');
  return `/${segments.join('/')}`.toLowerCase();
}

export async function startBillingUpstream(): Promise<BillingUpstream> {
  const billed: Billed[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const sent = Buffer.concat(chunks);
    const raw = req.headers['content-encoding'] === 'gzip' ? gunzipSync(sent) : sent;
    const contentType = String(req.headers['content-type'] ?? '');
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const route = providerRoute(rawPath);
    let body: Record<string, unknown> = {};
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      body = Object.fromEntries([...form].filter(([, v]) => typeof v === 'string'));
    } else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
    }
    const model = String(body.model ?? '');
    const send = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'GET' && route === '/v1/models')
      return send({
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 1, owned_by: 'x' }],
      });
    if (req.method !== 'POST') return send({});
    billed.push({ rawPath, route, model, contentType });
    const behavior = req.headers['x-test-behavior'];
    if (behavior === 'hang') return;
    if (behavior === 'slow-answer') await new Promise((r) => setTimeout(r, 1500));
    if (res.destroyed) return;
    if (route === '/v1/chat/completions')
      return send({
        id: 'chatcmpl-b',
        object: 'chat.completion',
        created: 1,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        usage: CHAT_USAGE,
      });
    if (route === '/v1/responses')
      return send({
        id: 'resp_b',
        object: 'response',
        created_at: 1,
        status: 'queued',
        model,
        output: [],
        usage: null,
      });
    if (route.startsWith('/v1/images'))
      // gpt-image-1 reports token usage (a 1024×1024 high-quality image is 4,160 output tokens).
      return send({
        created: 1,
        data: [{ b64_json: 'aGk=' }],
        usage: {
          total_tokens: 4210,
          input_tokens: 50,
          output_tokens: 4160,
          input_tokens_details: { text_tokens: 50, image_tokens: 0 },
        },
      });
    if (route.startsWith('/v1/audio')) return send({ text: 'hello' });
    if (route === '/v1/batches') return send({ id: 'batch_b', object: 'batch', status: 'validating' });
    return send({ id: 'x', object: 'unknown' });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    billed,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
