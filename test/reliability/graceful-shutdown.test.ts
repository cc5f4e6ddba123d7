// SIGTERM (quit, restart, update) lets streams in flight finish and records them, then exits.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { startCore } from '../../main/core/start-core.js';
import { startHarness } from '../support/harness.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { freePort } from '../support/cli-process.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { RELIABILITY_KEY, spawnServe, startServed, tempDir } from './serve-fixture.js';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

/** Opens a streamed chat completion; resolves once its first chunk arrived, with the rest to come. */
async function openStream(url: string, token: string, model = 'slow-stream-3s') {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    // A chunk every 50 ms for ~3 s ("slow-stream": 60 s), see test/support/fake-upstream.ts.
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const reader = res.body!.getReader();
  const first = await reader.read();
  const rest = (async () => {
    let text = new TextDecoder().decode(first.value);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch (err) {
      return { status: res.status, text, error: String(err) };
    }
    return { status: res.status, text, error: undefined };
  })();
  return { rest };
}

/** Whether a TCP connection to the port is accepted (then closed at once). */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('graceful shutdown', { timeout: 120_000 }, () => {
  it('SIGTERM to `shimmy serve`: 10 of 10 streams in flight complete and are recorded', async () => {
    const served = await startServed({ upstream });
    const streams = await Promise.all(Array.from({ length: 10 }, () => openStream(served.url, served.token)));
    const t0 = Date.now();
    served.kill('SIGTERM');
    const results = await Promise.all(streams.map((s) => s.rest));
    const code = await served.exited;
    const drainMs = Date.now() - t0;
    const complete = results.filter((r) => r.status === 200 && !r.error && r.text.includes('data: [DONE]'));
    console.log(
      `[figures] SIGTERM with 10 streams in flight: ${complete.length}/10 complete, exit ${code}, drained in ${drainMs} ms`,
    );
    expect(complete).toHaveLength(10);
    expect(code).toBe(0);
    // Their log lines too: the log holds a turn's lines and writes them before the process exits.
    const logged = served
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"model":"slow-stream-3s"'));
    expect(logged).toHaveLength(10);

    // The ledger, read back by a fresh instance on the same data dir.
    const core = await startCore({ dataDir: served.dataDir, port: 0, keychain: null, log: () => undefined });
    try {
      const admin = await connectAdmin(served.dataDir);
      const page = await admin.call('listRequests', { query: { limit: '50' } });
      const recorded = page.records.filter((r) => r.model === 'slow-stream-3s' && r.status === 200);
      expect(recorded).toHaveLength(10);
      for (const r of recorded) expect(r.errorClass).toBeNull();
    } finally {
      await core.close();
    }
  });

  it('SIGTERM the moment the port accepts, before start-up returns: serve still stops through its drain (exit 0)', async () => {
    // The port opens inside start-up, before `serve` has printed its banner; a SIGTERM then used
    // to meet no handler and kill the process, whatever had already come in.
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const port = await freePort();
    const p = spawnServe({ dataDir, port });
    p.listening.catch(() => undefined);
    const deadline = Date.now() + 60_000;
    while (!(await accepts(port))) {
      if (Date.now() > deadline || p.child.exitCode !== null)
        throw new Error(`serve never listened\n${p.stderr()}`);
    }
    p.child.kill('SIGTERM');
    const code = await p.exited;
    expect({ code, signal: p.child.signalCode }).toEqual({ code: 0, signal: null });
  });

  it('close() waits for streams but no longer than the grace period', async () => {
    // The key from the environment, so nothing is left in the keychain after a direct close().
    const h = await startHarness({
      keys: false,
      core: { env: { ...process.env, SHIMMY_KEY_OPENAI: RELIABILITY_KEY } },
    });
    const token = await h.tool('grace');
    const streams = await Promise.all(
      Array.from({ length: 3 }, () => openStream(h.core.url, token, 'slow-stream')),
    );
    expect(h.core.inFlight()).toBe(3);
    const t0 = Date.now();
    await h.core.close({ graceMs: 500 });
    const took = Date.now() - t0;
    const results = await Promise.all(streams.map((s) => s.rest));
    // slow-stream lasts 60 s: cut after the 500 ms grace, well before it would have ended.
    expect(took).toBeLessThan(5_000);
    expect(results.every((r) => !r.text.includes('data: [DONE]'))).toBe(true);
    await h.upstream.close();
  });
});
