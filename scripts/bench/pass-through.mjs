// The baselines Shimmy is measured against: a minimal node:http pass-through with a pooled
// keep-alive upstream client (the floor for any Node proxy), and the same forwarder behind express 5.
// Plus, for reference only (`--floor`), a metering floor: what any proxy that reads usage must do.
import http from 'node:http';
import express from 'express';
import { Pool } from 'undici';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

function forwardTo(upstreamUrl) {
  const target = new URL(upstreamUrl);
  // No socket cap: the baseline is a proxy that never queues what the upstream would take.
  const agent = new http.Agent({ keepAlive: true });
  return (req, res, path = req.url) => {
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, method: req.method, path, headers, agent },
      (up) => {
        const out = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err.code ?? err));
      else res.destroy();
    });
    req.pipe(upstream);
  };
}

async function listen(server) {
  // The same accept queue as Shimmy's (main/core/server.ts): a burst of connections is measured
  // against the proxy's work, not against Node's default backlog of 511.
  await new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

export async function startRawProxy(upstreamUrl) {
  const server = http.createServer(forwardTo(upstreamUrl));
  server.keepAliveTimeout = 65_000;
  return { url: await listen(server), server };
}

export async function startExpressProxy(upstreamUrl) {
  const forward = forwardTo(upstreamUrl);
  const app = express();
  app.disable('x-powered-by');
  app.all('/v1/*path', (req, res) => forward(req, res, req.originalUrl));
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  return { url: await listen(server), server };
}

/**
 * The least a metering proxy does, with the parts Shimmy uses: the request body read whole and
 * parsed (a proxy must see the model and its limits), sent on an undici pool, the answer read whole
 * and parsed for its usage (a stream is relayed chunk by chunk). No auth, limits, pricing or
 * ledger: the gap between it and Shimmy is Shimmy's own logic, the gap between it and raw is the
 * transport's. Measured 2026-11-29: it is cheaper than the raw pass-through (raw's stream pipe
 * costs more than one buffered write).
 */
export async function startMeteringFloor(upstreamUrl) {
  const pool = new Pool(upstreamUrl, { connections: 1024, pipelining: 1 });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const streamed = JSON.parse(body.toString()).stream === true;
      const headers = { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' };
      pool
        .request({ path: req.url, method: req.method, headers, body })
        .then(async (up) => {
          if (streamed) {
            res.writeHead(up.statusCode, {
              'content-type': up.headers['content-type'] ?? 'text/event-stream',
            });
            for await (const c of up.body) res.write(c);
            res.end();
            return;
          }
          const out = Buffer.from(await up.body.arrayBuffer());
          void JSON.parse(out.toString()).usage;
          res.writeHead(up.statusCode, { 'content-type': 'application/json', 'content-length': out.length });
          res.end(out);
        })
        .catch((err) => {
          if (!res.headersSent)
            res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err.code ?? err));
          else res.destroy();
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  return { url: await listen(server), server };
}
