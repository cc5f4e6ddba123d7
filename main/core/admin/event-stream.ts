// GET /api/events: live events as Server-Sent Events. A comment line every 15 s keeps idle
// connections (and proxies in between) from timing out.
import type { Request, Response } from 'express';
import type { EventBus } from '../events/event-bus.js';

export function eventStreamHandler(events: EventBus) {
  return (req: Request, res: Response) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': connected\n\n');
    const unsubscribe = events.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  };
}
