// Keeps misbehaving clients from holding the server. A connection must deliver complete request
// headers within `headersTimeoutMs` (Node's own headersTimeout never fires for a socket that sends
// no byte at all), and open connections stay under a cap well below the descriptor limit. At the
// cap the least recently used connection with no request in progress is closed to make room, so a
// flood of silent sockets cannot lock out the tools that actually send requests; a request in
// progress (a 10-minute stream included) is never cut by any of this.
import type http from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** From accepting a connection (or finishing its previous response) to its next request's headers. */
  headersTimeoutMs: number;
  /** Node closes a keep-alive connection idle this long; we add headersTimeoutMs as a backstop. */
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** Per remote address, for non-loopback clients (every local tool shares 127.0.0.1). */
  maxPerClient: number;
}

export interface ConnectionStats {
  open: number;
  /** New connections closed at once because every open one had a request in progress. */
  refused: number;
  /** Idle or silent connections closed to make room for a new one. */
  evicted: number;
  /** Connections closed for not sending their headers in time. */
  timedOut: number;
}

export interface ConnectionGuard {
  stats(): ConnectionStats;
  /** While draining, a connection is closed as soon as it has no request in progress. */
  drain(): void;
}

interface Conn {
  addr: string;
  active: number;
  /** Upgraded (WebSocket) connections belong to their handler from then on. */
  detached: boolean;
  timer: NodeJS.Timeout | undefined;
  /** The timer runs for the wait between requests (not the first request's headers): refreshed. */
  between: boolean;
}

const isLoopback = (addr: string) =>
  addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');

export function guardConnections(server: http.Server, limits: ConnectionLimits): ConnectionGuard {
  // Insertion order is recency order: a connection is moved to the end whenever it is used.
  const conns = new Map<Socket, Conn>();
  const perAddr = new Map<string, number>();
  const stats = { refused: 0, evicted: 0, timedOut: 0 };
  let draining = false;

  // One timer per connection, left running while a request is in progress (it does nothing if it
  // fires then) and refreshed when its response ends, where a clearTimeout, a new Timeout, its
  // closure and its unref were made for every request.
  const wait = (socket: Socket, conn: Conn, ms: number) => {
    clearTimeout(conn.timer);
    conn.timer = setTimeout(() => {
      if (conn.active > 0 || conn.detached) return;
      stats.timedOut++;
      socket.destroy();
    }, ms);
    conn.timer.unref();
  };
  const waitBetween = (socket: Socket, conn: Conn) => {
    if (conn.between) conn.timer!.refresh();
    else {
      conn.between = true;
      wait(socket, conn, limits.keepAliveTimeoutMs + limits.headersTimeoutMs);
    }
  };

  const evictIdle = (addr?: string): boolean => {
    for (const [socket, conn] of conns) {
      if (conn.active > 0 || conn.detached || (addr !== undefined && conn.addr !== addr)) continue;
      stats.evicted++;
      forget(socket);
      socket.destroy();
      return true;
    }
    return false;
  };

  const forget = (socket: Socket) => {
    const conn = conns.get(socket);
    if (!conn) return;
    clearTimeout(conn.timer);
    conns.delete(socket);
    const n = (perAddr.get(conn.addr) ?? 1) - 1;
    if (n > 0) perAddr.set(conn.addr, n);
    else perAddr.delete(conn.addr);
  };

  server.on('connection', (socket: Socket) => {
    const addr = socket.remoteAddress ?? '';
    const perClientFull = !isLoopback(addr) && (perAddr.get(addr) ?? 0) >= limits.maxPerClient;
    if ((perClientFull && !evictIdle(addr)) || (conns.size >= limits.maxConnections && !evictIdle())) {
      stats.refused++;
      socket.destroy();
      return;
    }
    const conn: Conn = { addr, active: 0, detached: false, timer: undefined, between: false };
    conns.set(socket, conn);
    perAddr.set(addr, (perAddr.get(addr) ?? 0) + 1);
    wait(socket, conn, limits.headersTimeoutMs);
    socket.once('close', () => forget(socket));
  });

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    const conn = conns.get(socket);
    if (!conn) return;
    conn.active++;
    conns.delete(socket);
    conns.set(socket, conn);
    // `on`, not `once`: a response closes once, and once() wraps every listener in a bound function.
    res.on('close', () => {
      conn.active--;
      if (conn.active > 0 || socket.destroyed) return;
      if (draining) socket.destroySoon();
      else waitBetween(socket, conn);
    });
  });

  // Only hook upgrades once someone handles them: a listener of ours alone would make Node treat
  // every Upgrade request as handled and leave it hanging.
  let upgradeHooked = false;
  server.on('newListener', (event: string | symbol) => {
    if (event !== 'upgrade' || upgradeHooked) return;
    upgradeHooked = true;
    server.prependListener('upgrade', (req: http.IncomingMessage) => {
      const conn = conns.get(req.socket);
      if (!conn) return;
      conn.detached = true;
      clearTimeout(conn.timer);
    });
  });

  return {
    stats: () => ({ open: conns.size, ...stats }),
    drain() {
      draining = true;
      for (const [socket, conn] of conns) if (conn.active === 0 && !conn.detached) socket.destroy();
    },
  };
}
