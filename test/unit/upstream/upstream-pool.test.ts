// The upstream pool never queues a request the provider would take at once (issue 16): many
// long-lived streams to one origin all get their answer started together, and a configured cap
// is honoured.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../../main/core/upstream/cancellation.js';
import { createUpstreamClient, type UpstreamClient } from '../../../main/core/upstream/upstream-client.js';

let server: http.Server;
let base: string;
// Requests the server holds open, unanswered, until `release` is set to a count that has arrived.
let open = 0;
let maxOpen = 0;
let waiting: Array<() => void> = [];
let releaseAt = Infinity;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => open--);
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain' }).end(String(maxOpen));
    waiting.push(answer);
    if (waiting.length >= releaseAt) {
      for (const w of waiting) w();
      waiting = [];
    }
  });
  server.maxConnections = 2000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', 2048, r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function fire(client: UpstreamClient, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await client({
        url: base + '/slow',
        method: 'GET',
        headers: {},
        body: null,
        signal: new Cancellation(),
        timeoutMs: 10_000,
      });
      let text = '';
      await res.body.read((c) => ((text += c.toString()), true));
      return text;
    }),
  );
}

describe('upstream pool', () => {
  it('holds 300 requests open to one origin at once by default (the cap was 128)', async () => {
    maxOpen = 0;
    releaseAt = 300; // answers only once all 300 are in: a pool that queues any never gets there
    const upstream = createUpstreamClient();
    try {
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`only ${maxOpen} requests reached the upstream at once`)), 4000),
      );
      const texts = await Promise.race([fire(upstream.client, 300), timeout]);
      expect(texts.every((t) => t === '300')).toBe(true);
    } finally {
      releaseAt = 1;
      for (const w of waiting) w();
      waiting = [];
      await upstream.close();
    }
  });

  it('honours a configured cap (settings.upstreamConnections)', async () => {
    maxOpen = 0;
    releaseAt = 4; // answered four at a time: a pool over the cap would have more open meanwhile
    const upstream = createUpstreamClient({ connectionsPerOrigin: 4 });
    try {
      await fire(upstream.client, 40);
      expect(maxOpen).toBe(4);
    } finally {
      await upstream.close();
    }
  });
});
