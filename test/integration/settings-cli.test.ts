// `shimmy settings list|get|set` against a real `shimmy serve`, and PATCH /api/settings refusing
// fields it does not know. The upstream here never answers: upstreamTimeoutMs set from the CLI
// must be what cuts a request off (504), where the default (10 min) would hold it.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';
import { writePointedConfig } from '../support/pointed-config.js';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
let admin: AdminClient;
let silent: http.Server;
const held = new Set<http.ServerResponse>();
const slow = { timeout: 90_000 };

const shimmy = (...args: string[]) => runCli([...args, '--data-dir', dataDir], { env });

beforeAll(async () => {
  // Reads the request, never answers (until the test ends).
  silent = http.createServer((req, res) => {
    held.add(res);
    req.resume();
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const upstream = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-settings-'));
  await writePointedConfig(dataDir, upstream);
  ({ env } = cliEnv());
  env.SHIMMY_KEY_OPENAI = 'sk-settings-test-0000000000000000abcd';
  serve = await startServe({ port: await freePort(), dataDir, env });
  admin = await connectAdmin(dataDir);
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  for (const res of held) res.destroy();
  silent?.closeAllConnections();
  await new Promise((r) => silent?.close(r));
  await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('shimmy settings', slow, () => {
  it('list --json prints every setting, get prints one', async () => {
    const list = await shimmy('settings', 'list', '--json');
    expect(list.code).toBe(0);
    const all = JSON.parse(list.stdout) as Record<string, unknown>;
    expect(all).toMatchObject({ upstreamTimeoutMs: 600_000, shutdownGraceMs: 30_000, paused: false });
    const table = await shimmy('settings', 'list');
    expect(table.stdout).toMatch(/upstreamTimeoutMs\s+600000/);
    expect((await shimmy('settings', 'get', 'shutdownGraceMs')).stdout.trim()).toBe('30000');
    const nope = await shimmy('settings', 'get', 'upstreamTimeout');
    expect(nope.code).toBe(1);
    expect(nope.stderr).toMatch(/No setting named "upstreamTimeout".*upstreamTimeoutMs/s);
  });

  it('set validates with the admin API schema before anything changes', async () => {
    for (const [key, value, why] of [
      ['upstreamTimeoutMs', '-5', /upstreamTimeoutMs:.*(>0|positive|too small)/i],
      ['upstreamTimeoutMs', 'soon', /upstreamTimeoutMs:.*number/i],
      ['priceRefresh', 'maybe', /priceRefresh:.*boolean/i],
      ['port', '9000', /No setting named "port"/],
    ] as const) {
      const r = await shimmy('settings', 'set', key, value);
      expect(r.code, `${key} ${value}`).toBe(1);
      expect(r.stderr).toMatch(why);
    }
    expect((await admin.call('getSettings')).upstreamTimeoutMs).toBe(600_000);
  });

  it('upstreamTimeoutMs, shutdownGraceMs and priceRefresh are set from the CLI; the timeout applies to the next request', async () => {
    expect((await shimmy('settings', 'set', 'shutdownGraceMs', '5s')).stdout.trim()).toBe(
      'shutdownGraceMs = 5000',
    );
    expect((await shimmy('settings', 'set', 'priceRefresh', 'false')).code).toBe(0);
    expect((await shimmy('settings', 'set', 'upstreamTimeoutMs', '1500')).stdout.trim()).toBe(
      'upstreamTimeoutMs = 1500',
    );
    expect(await admin.call('getSettings')).toMatchObject({
      upstreamTimeoutMs: 1500,
      shutdownGraceMs: 5000,
      priceRefresh: false,
    });
    const { token } = await admin.call('createTool', { body: { name: 'timer', limits: {} } });
    const started = Date.now();
    const res = await fetch(`${serve.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(504);
    // Cut by the 1.5 s just set (the default would hold it for 10 minutes).
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });
});

describe('PATCH /api/settings', slow, () => {
  it('refuses fields it does not know with 400 naming them, and changes nothing', async () => {
    const secret = JSON.parse(await fs.readFile(path.join(dataDir, 'instance.json'), 'utf8')).secret;
    const before = await admin.call('getSettings');
    const res = await fetch(`${serve.url}/api/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ retentionDays: 7, upstreamTimeout: 1000, logbodies: true }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; field?: string } };
    expect(body.error.message).toMatch(
      /Unknown body fields "upstreamTimeout", "logbodies"; known: .*upstreamTimeoutMs/,
    );
    expect(body.error.field).toBe('upstreamTimeout');
    expect(await admin.call('getSettings')).toEqual(before);
  });
});
