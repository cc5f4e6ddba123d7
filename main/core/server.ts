// One HTTP server, two front doors: API traffic (front-door.ts) goes straight to the proxy handler
// on plain node:http (the hot path), everything else (admin API, dashboard) to the express app.
import http from 'node:http';
import type { RequestListener } from 'node:http';
import { isProxyRequest } from './front-door.js';

export function createShimmyServer(proxy: RequestListener, admin: RequestListener): http.Server {
  const server = http.createServer((req, res) => {
    if (isProxyRequest(req)) proxy(req, res);
    else admin(req, res);
  });
  // Long streamed answers must not be cut by Node's default request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  return server;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    host: string,
  ) {
    super(
      `Port ${port} on ${host} is already in use. Stop whatever holds it, or start Shimmy with --port N (and point your tools at that port).`,
    );
  }
}

/** Binds exactly the requested port: tools are configured for it, so never silently pick another. */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, host) : err);
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
