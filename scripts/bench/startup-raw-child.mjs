// The start-up baseline: the smallest Node proxy that can answer a proxied request (node:http only,
// like pass-through.mjs's raw forwarder, without that file's express import). `node
// startup-raw-child.mjs PORT UPSTREAM_URL`.
import http from 'node:http';

const [port, upstreamUrl] = process.argv.slice(2);
const target = new URL(upstreamUrl);
const agent = new http.Agent({ keepAlive: true });
const server = http.createServer((req, res) => {
  const headers = { ...req.headers, host: target.host };
  const up = http.request(
    { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
    (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    },
  );
  up.on('error', () => res.writeHead(502).end());
  req.pipe(up);
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
