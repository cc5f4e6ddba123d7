// A machine without a Secret Service (a server, a container): `key set` must fail and say how to
// give the key through the environment instead, nothing is written in plain text, and a key given
// that way works.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { findLeaks, readTree } from '../support/secret-scan.js';

const KEY = 'sk-no-keychain-test-key-5555ZZZZ';
let serve: ServeProcess;
let upstream: FakeUpstream;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-nokeychain-'));
  // No session bus at all: libsecret cannot reach any keychain.
  env = {
    ...cliEnv().env,
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/shimmy-test-bus',
    SHIMMY_KEY_ANTHROPIC: KEY,
  };
  // An env key binds to the base URL its provider has when the instance starts: point anthropic at
  // the test upstream in a first run, as a user's earlier set-up would have.
  const port = await freePort();
  const first = await startServe({ port, dataDir, env });
  const info = JSON.parse(await fs.readFile(path.join(dataDir, 'instance.json'), 'utf8')) as {
    url: string;
    secret: string;
  };
  const patched = await fetch(`${info.url}/api/providers/anthropic`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${info.secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ baseUrl: upstream.url }),
  });
  expect(patched.status).toBe(200);
  await first.stop();
  serve = await startServe({ port, dataDir, env });
}, 90_000);
afterAll(async () => {
  await serve?.stop();
  await upstream?.close();
});

it('key set fails, names the environment variable to use, and writes nothing', async () => {
  const r = await runCli(['key', 'set', 'openai', '--data-dir', dataDir], { env, input: KEY + '\n' });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/keychain/i);
  expect(r.stderr).toContain('SHIMMY_KEY_OPENAI');
  expect(r.stdout + r.stderr).not.toContain(KEY);
  expect(findLeaks(await readTree(dataDir), [{ name: 'key', value: KEY }])).toEqual([]);
});

it('a key from SHIMMY_KEY_<PROVIDER> is used upstream and listed masked', async () => {
  const list = await runCli(['key', 'list', '--json', '--data-dir', dataDir], { env });
  const keys = JSON.parse(list.stdout) as Array<{
    provider: string;
    label: string;
    masked: string;
    source: string;
    boundTo: string | null;
    usable: boolean;
  }>;
  expect(keys).toContainEqual({
    provider: 'anthropic',
    label: 'default',
    masked: 'sk-…ZZZZ',
    source: 'env',
    boundTo: upstream.url,
    usable: true,
  });
  const info = JSON.parse(await fs.readFile(path.join(dataDir, 'instance.json'), 'utf8')) as {
    url: string;
    secret: string;
  };
  const tool = JSON.parse(
    (await runCli(['tool', 'add', 'srv', '--json', '--data-dir', dataDir], { env })).stdout,
  ) as { token: string };
  const res = await fetch(`${info.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': tool.token,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  expect(res.status).toBe(200);
  expect(upstream.received.at(-1)!.headers['x-api-key']).toBe(KEY);
});
