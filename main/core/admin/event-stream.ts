// GET /api/events: live events as Server-Sent Events to every open dashboard. Each event is
// serialized once, not once per client, and written in one batch per flush interval, so open
// dashboards cost the proxy a few writes a second rather than a write per event per client. The bus
// is only listened to while a client is connected. A comment line every 15 s keeps idle connections
// (and proxies in between) from timing out.
import type { ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { EventBus } from '../events/event-bus.js';

const PING_MS = 15_000;
/** A client that has not read this much is stuck: drop it (EventSource reconnects by itself). */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

export interface EventStream {
  handler(req: Request, res: Response): void;
  /** Dashboards connected now. */
  clients(): number;
}

export function createEventStream(events: EventBus, opts: { flushMs?: number } = {}): EventStream {
  const flushMs = opts.flushMs ?? 100;
  const clients = new Set<ServerResponse>();
  let pending = '';
  let flushTimer: NodeJS.Timeout | null = null;
  let ping: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  const writeAll = (chunk: string) => {
    for (const res of clients) {
      if (res.writableLength > MAX_BACKLOG_BYTES) res.destroy();
      else res.write(chunk);
    }
  };
  const flush = () => {
    flushTimer = null;
    const chunk = pending;
    pending = '';
    if (chunk) writeAll(chunk);
  };
  const listen = () => {
    unsubscribe = events.subscribe((event) => {
      pending += `data: ${JSON.stringify(event)}\n\n`;
      flushTimer ??= setTimeout(flush, flushMs);
    });
    ping = setInterval(() => writeAll(': ping\n\n'), PING_MS);
  };
  const stop = () => {
    unsubscribe?.();
    unsubscribe = null;
    if (ping) clearInterval(ping);
    if (flushTimer) clearTimeout(flushTimer);
    ping = flushTimer = null;
    pending = '';
  };

  return {
    handler(req, res) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      clients.add(res);
      if (!unsubscribe) listen();
      res.on('close', () => {
        clients.delete(res);
        if (clients.size === 0) stop();
      });
    },
    clients: () => clients.size,
  };
}
