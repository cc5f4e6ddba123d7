// One HTTP server, two front doors: API traffic (front-door.ts) goes straight to the proxy handler
// on plain node:http (the hot path), everything else (admin API, dashboard) to the express app.
// Timeouts, connection caps and the graceful close live in ./server/.
import http from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendError } from './errors/api-errors.js';
import { isProxyRequest } from './front-door.js';
import { classifyPath } from './route/classify-path.js';
import { widenAccept, type WideAccept } from './server/accept-wide.js';
import { guardConnections, type ConnectionStats } from './server/connection-guard.js';
import { createIdleWatch } from './server/idle-watch.js';
import { createInFlight } from './server/in-flight.js';
import { defaultServerLimits, type ServerLimits } from './server/server-limits.js';

export type ProxyListener = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

export interface CloseReport {
  /** Proxied requests still running when the close began. */
  inFlight: number;
  /** Of those, the ones cut because the grace period ran out (or a forced stop). */
  cut: number;
}

export interface ShimmyServer {
  readonly http: http.Server;
  connections(): ConnectionStats;
  inFlight(): number;
  /** Descriptors of the listening socket polled for new connections (server/accept-wide.ts). */
  acceptDescriptors(): number;
  /** Resolves once no proxied request has been in flight or started for `quietMs` (or after
   *  `maxWaitMs`): when start-up's deferred work runs (server/idle-watch.ts). */
  whenIdle(quietMs: number, maxWaitMs: number): Promise<void>;
  /** Stops accepting, lets proxied requests in flight finish for up to `graceMs` (or until
   *  `force` aborts), then closes every connection. */
  close(graceMs: number, force?: AbortSignal): Promise<CloseReport>;
}

export function createShimmyServer(
  proxy: ProxyListener,
  admin: RequestListener,
  limitOverrides: Partial<ServerLimits> = {},
): ShimmyServer {
  const limits = { ...defaultServerLimits(), ...limitOverrides };
  const inFlight = createInFlight();
  const idle = createIdleWatch(() => inFlight.size > 0);
  let draining = false;
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    const isProxy = isProxyRequest(req);
    if (draining) {
      // A request that arrived on a kept-alive connection after the shutdown began.
      const message = 'Shimmy is shutting down; retry once it is back.';
      if (isProxy)
        sendError(
          res,
          classifyPath((req.url ?? '/').split('?')[0]!, req.headers).family,
          'shutting_down',
          message,
          {
            connection: 'close',
          },
        );
      else res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end(message);
      return;
    }
    if (isProxy) {
      idle.noteRequest();
      inFlight.track(proxy(req, res));
    } else admin(req, res);
  });
  // Quiet counts from when the port opens, not from when the server was built: start-up's
  // awaits between the two (the keychain, the bind) took over 250 ms on a loaded machine, and
  // then the deferred work (the admin app's import, the owner-only walk) began at once, beside
  // the first request (issue 16).
  server.once('listening', () => idle.noteRequest());
  // A stalled upload is cut by requestTimeout; it only runs until the request's last byte, so
  // long streamed answers are never cut by it.
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  const guard = guardConnections(server, limits);
  // Once connections pile up, the listening socket is polled through more descriptors so a busy
  // loop accepts several per poll (server/accept-wide.ts). Not before: a laptop with a few tools
  // never needs it, and it costs a short-lived child process. Linux only (libuv's one accept per
  // poll is measured there), and not inside Electron (not verified there).
  let wide: WideAccept | undefined;
  const widenOnce = () => {
    if (draining || guard.stats().open < WIDEN_AT_CONNECTIONS) return;
    server.off('connection', widenOnce);
    wide = widenAccept(server, { extra: EXTRA_ACCEPT_DESCRIPTORS, backlog: LISTEN_BACKLOG });
  };
  if (WIDEN_ACCEPT) server.on('connection', widenOnce);

  return {
    http: server,
    connections: () => guard.stats(),
    inFlight: () => inFlight.size,
    acceptDescriptors: () => wide?.descriptors() ?? 1,
    whenIdle: (quietMs, maxWaitMs) => idle.whenIdle(quietMs, maxWaitMs),
    async close(graceMs, force) {
      draining = true;
      wide?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      guard.drain();
      const before = inFlight.size;
      const grace = AbortSignal.timeout(Math.max(0, graceMs));
      await inFlight.idle(force ? AbortSignal.any([grace, force]) : grace);
      const cut = inFlight.size;
      server.closeAllConnections();
      await closed;
      return { inFlight: before, cut };
    },
  };
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

/**
 * Connections the kernel holds for us while the event loop is busy (capped by net.core.somaxconn).
 * Node's default, 511, overflows when hundreds of agents connect at once: the kernel then drops
 * their SYNs and each client retries after 1, 3, 7, 15… s — 1,000 streams opened together had a
 * first-byte p99 of 54 s behind it (raw Node 8 s).
 */
const LISTEN_BACKLOG = 4096;

const WIDEN_ACCEPT = process.platform === 'linux' && process.versions.electron === undefined;
/** Open connections at which the listening socket gets its extra descriptors. */
export const WIDEN_AT_CONNECTIONS = 64;
/** Nine descriptors: a saturated loop accepts up to nine connections per poll instead of one; a
 *  quiet one pays eight failed accept() calls (EAGAIN) per new connection. */
export const EXTRA_ACCEPT_DESCRIPTORS = 8;

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
    server.listen({ port, host, backlog: LISTEN_BACKLOG });
  });
}
