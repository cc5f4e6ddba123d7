// GET /api/events: live events as Server-Sent Events to every open dashboard. Each event is
// serialized once, not once per client, and written in one batch per flush interval, so open
// dashboards cost the proxy a few writes a second rather than a write per event per client. The bus
// is only listened to while a client is connected. A comment line every 15 s keeps idle connections
// (and proxies in between) from timing out.
//
// `?batch=1` (what the dashboard asks for): each flush is one SSE message whose data is a JSON array
// of the events, instead of one message per event. At 500 req/s that is ten messages a second
// instead of a thousand: a browser pays a task, a parse and a cross-tab post per message, which cost
// an open dashboard a third of a core. Without it, each `data:` line is one event, as before.
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
  const batchClients = new Set<ServerResponse>();
  let pending = '';
  let pendingBatch: string[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  let ping: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  const writeTo = (to: Set<ServerResponse>, text: string) => {
    if (to.size === 0) return;
    // Encoded once for every client, not once per client.
    const chunk = Buffer.from(text);
    for (const res of to) {
      if (res.writableLength > MAX_BACKLOG_BYTES) res.destroy();
      else res.write(chunk);
    }
  };
  const flush = () => {
    flushTimer = null;
    if (pending) writeTo(clients, pending);
    if (pendingBatch.length > 0) writeTo(batchClients, `data: [${pendingBatch.join(',')}]\n\n`);
    pending = '';
    pendingBatch = [];
  };
  const listen = () => {
    unsubscribe = events.subscribe((event) => {
      const json = JSON.stringify(event);
      if (clients.size > 0) pending += `data: ${json}\n\n`;
      if (batchClients.size > 0) pendingBatch.push(json);
      flushTimer ??= setTimeout(flush, flushMs);
    });
    ping = setInterval(() => {
      writeTo(clients, ': ping\n\n');
      writeTo(batchClients, ': ping\n\n');
    }, PING_MS);
  };
  const stop = () => {
    unsubscribe?.();
    unsubscribe = null;
    if (ping) clearInterval(ping);
    if (flushTimer) clearTimeout(flushTimer);
    ping = flushTimer = null;
    pending = '';
    pendingBatch = [];
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
      const set = req.query.batch === '1' ? batchClients : clients;
      set.add(res);
      if (!unsubscribe) listen();
      res.on('close', () => {
        set.delete(res);
        if (clients.size + batchClients.size === 0) stop();
      });
    },
    clients: () => clients.size + batchClients.size,
  };
}
