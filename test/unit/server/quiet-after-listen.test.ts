// Start-up's deferred work waits for the proxy to be quiet (server/idle-watch.ts). The quiet is
// counted from when the port opens: counted from when the server was built, a start whose awaits
// before listen() took longer than the quiet period began that work at once, beside the first
// request (issue 16). A real server on loopback, port 0.
import { afterEach, expect, it } from 'vitest';
import { createShimmyServer, listen, type ShimmyServer } from '../../../main/core/server.js';

let server: ShimmyServer | undefined;
afterEach(async () => {
  await server?.close(0, undefined);
  server = undefined;
});

it('counts the quiet from listen, however long start-up took before it', async () => {
  server = createShimmyServer(
    async (_req, res) => void res.end(),
    (_req, res) => void res.end(),
  );
  // Start-up's awaits between building the server and binding it.
  await new Promise((r) => setTimeout(r, 400));
  await listen(server.http, 0, '127.0.0.1');
  const listenedAt = performance.now();
  await server.whenIdle(250, 10_000);
  // Timers may fire a millisecond early against performance.now().
  expect(performance.now() - listenedAt).toBeGreaterThanOrEqual(240);
});
