// Slowloris and descriptor exhaustion: silent connections, unfinished headers and stalled uploads
// are released after the timeouts, connections stay under a cap below the descriptor limit, and a
// well-behaved client keeps getting answers through a flood. Long streams are never cut.
import fs from 'node:fs/promises';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { chat, RELIABILITY_KEY, startServed } from './serve-fixture.js';

interface Held {
  socket: net.Socket;
  closed: boolean;
}

/** Opens a connection and optionally writes `first`; settles once connected (or refused). */
function hold(url: string, first?: string): Promise<Held> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const held: Held = { socket, closed: false };
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.once('close', () => {
      held.closed = true;
      resolve(held);
    });
    socket.once('connect', () => {
      if (first) socket.write(first);
      resolve(held);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openCount = (held: Held[]) => held.filter((h) => !h.closed).length;

describe('slow clients (in-process, shortened timeouts)', { timeout: 60_000 }, () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness({
      keys: false,
      core: {
        env: { ...process.env, SHIMMY_KEY_OPENAI: RELIABILITY_KEY },
        serverLimits: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
      },
    });
    token = await h.tool('slow');
  });
  afterAll(() => h.close());

  it('releases 50 silent connections, 25 unfinished headers and 25 stalled uploads; a long stream lives on', async () => {
    // A stream that outlives every timeout (about 3 s against 1 s and 2 s).
    const stream = chat(h.core.url, token, 'slow-stream-3s', true);
    const upload = (n: number) =>
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${n}\r\n\r\n{"model":`;
    const held = await Promise.all([
      ...Array.from({ length: 50 }, () => hold(h.core.url)),
      ...Array.from({ length: 25 }, () =>
        hold(h.core.url, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n'),
      ),
      ...Array.from({ length: 25 }, () => hold(h.core.url, upload(100_000))),
    ]);
    expect(openCount(held)).toBe(100);
    // Others are served meanwhile.
    expect((await chat(h.core.url, token)).status).toBe(200);
    const deadline = Date.now() + 8_000;
    while (openCount(held) > 0 && Date.now() < deadline) await sleep(100);
    const left = openCount(held);
    console.log(
      `[figures] slowloris (timeouts 1 s / 2 s): ${100 - left} of 100 released, ${left} held after 8 s`,
    );
    expect(left).toBe(0);
    const streamed = await stream;
    expect(streamed.status).toBe(200);
    expect(streamed.text).toContain('data: [DONE]');
  });
});

const linux = process.platform === 'linux';
describe.skipIf(!linux)(
  'descriptor exhaustion (`shimmy serve` under ulimit -n 256)',
  { timeout: 120_000 },
  () => {
    let upstream: FakeUpstream;
    beforeAll(async () => {
      upstream = await startFakeUpstream();
    });
    afterAll(() => upstream.close());

    it('a well-behaved client still gets answers while 1,100 silent connections flood it', async () => {
      const served = await startServed({ upstream, ulimitFiles: 256 });
      const held: Held[] = [];
      try {
        const t0 = Date.now();
        for (let i = 0; i < 11 && Date.now() - t0 < 30_000; i++)
          held.push(...(await Promise.all(Array.from({ length: 100 }, () => hold(served.url)))));
        const fds = (await fs.readdir(`/proc/${served.child.pid}/fd`)).length;
        let ok = 0;
        for (let i = 0; i < 20; i++) if ((await chat(served.url, served.token)).status === 200) ok++;
        const stillOpen = openCount(held);
        console.log(
          `[figures] fd flood: ${held.length} silent connections opened, ${stillOpen} still open, ` +
            `serve held ${fds} descriptors (limit 256), ${ok}/20 requests answered during the flood`,
        );
        expect(ok).toBe(20);
        expect(fds).toBeLessThan(256);
        expect(stillOpen).toBeLessThanOrEqual(64);
      } finally {
        for (const h of held) h.socket.destroy();
        served.kill('SIGTERM');
        await served.exited;
      }
    });
  },
);
