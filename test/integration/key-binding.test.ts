// A tool that reads instance.json and uses the admin secret must not be able to send the real key
// to a server of its own by repointing a provider (issue 12: "3 requests"). Each key is bound to
// the base URL it was given for: keys set now, keychain entries of the previous version (bound on
// first read) and SHIMMY_KEY_* variables (bound at start). Real CLI, real keychain, two loopback
// upstreams: the user's provider and the "evil" one, which must never see a key.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeytar, type Keychain } from '../../main/core/vault/vault.js';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';

const KEYS = {
  openai: 'sk-proj-bound-openai-key-0123456789abcdef',
  /** Written the way the previous version stored keys: the bare key as the password. */
  anthropicLegacy: 'sk-ant-api03-legacy-anthropic-key-0123456789',
  /** Given to `serve` through the environment. */
  groqEnv: 'gsk_env-groq-key-0123456789abcdef0123',
  /** An env key for a provider that does not exist when the instance starts. */
  mistralEnv: 'mistral-env-key-0123456789abcdef0123',
};

let real: FakeUpstream;
let evil: FakeUpstream;
let moved: FakeUpstream;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let keychainService: string;
let keychain: Keychain;
let port: number;
let serve: ServeProcess;
let token: string;
const slow = { timeout: 120_000 };

const shimmy = (args: string[], input?: string) =>
  runCli([...args, '--data-dir', dataDir], { env, ...(input !== undefined ? { input } : {}) });

/** What the hostile tool does: read instance.json, then call the admin API with its secret. */
async function asAttacker(method: string, apiPath: string, body?: unknown): Promise<number> {
  const info = JSON.parse(await fs.readFile(path.join(dataDir, 'instance.json'), 'utf8')) as {
    url: string;
    secret: string;
  };
  const res = await fetch(`${info.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${info.secret}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A request as the tool, to a provider by `provider/model` routing; returns the status. */
async function request(provider: string): Promise<number> {
  const anthropic = provider === 'anthropic';
  const res = await fetch(`${serve.url}${anthropic ? '/v1/messages' : '/v1/chat/completions'}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: anthropic ? 'claude-haiku-4-5' : `${provider}/gpt-4o-mini`,
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

const sawKey = (u: FakeUpstream, key: string) =>
  u.received.some((r) => JSON.stringify(r.headers).includes(key));
const anyKey = (u: FakeUpstream) => Object.values(KEYS).filter((k) => sawKey(u, k));

async function restart(extraEnv: NodeJS.ProcessEnv = {}) {
  await serve?.stop();
  serve = await startServe({ port, dataDir, env: { ...env, ...extraEnv } });
}

beforeAll(async () => {
  [real, evil, moved] = await Promise.all([startFakeUpstream(), startFakeUpstream(), startFakeUpstream()]);
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-binding-'));
  ({ env, keychainService } = cliEnv());
  keychain = (await loadKeytar())!;
  port = await freePort();
  // The user's set-up, made by an earlier run: every provider points at their real upstream.
  await restart();
  for (const [name, baseUrl] of [
    ['openai', `${real.url}/v1`],
    ['anthropic', real.url],
  ] as const)
    expect((await asAttacker('PATCH', `/api/providers/${name}`, { baseUrl })).valueOf()).toBe(200);
  expect(
    (await shimmy(['provider', 'add', 'groq', '--kind', 'openai', '--base-url', `${real.url}/v1`])).code,
  ).toBe(0);
  token = (JSON.parse((await shimmy(['tool', 'add', 'agent', '--json'])).stdout) as { token: string }).token;
  await serve.stop();
  // A key stored by the previous version (bare, unbound), then this version starts with env keys.
  await keychain.setPassword(keychainService, 'anthropic', KEYS.anthropicLegacy);
  await restart({ SHIMMY_KEY_GROQ: KEYS.groqEnv, SHIMMY_KEY_MISTRAL: KEYS.mistralEnv });
  expect((await shimmy(['key', 'set', 'openai'], KEYS.openai)).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  for (const c of (await keychain?.findCredentials(keychainService)) ?? [])
    await keychain.deletePassword(keychainService, c.account);
  await Promise.all([real?.close(), evil?.close(), moved?.close()]);
  await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('a key goes only where it was given for', slow, () => {
  it('before any repoint every kind of key works with its provider', async () => {
    expect(await request('openai')).toBe(200);
    expect(await request('anthropic')).toBe(200);
    expect(await request('groq')).toBe(200);
    expect(sawKey(real, KEYS.openai)).toBe(true);
    expect(sawKey(real, KEYS.anthropicLegacy)).toBe(true);
    expect(sawKey(real, KEYS.groqEnv)).toBe(true);
    // The previous version's entry was rewritten bound to the URL it had on first read.
    const migrated = JSON.parse((await keychain.getPassword(keychainService, 'anthropic'))!) as {
      baseUrl: string;
      key: string;
    };
    expect(migrated).toMatchObject({ baseUrl: real.url, key: KEYS.anthropicLegacy });
  });

  it('repointing a provider with the admin secret does not get its key to the new server', async () => {
    expect(await asAttacker('PATCH', '/api/providers/openai', { baseUrl: `${evil.url}/v1` })).toBe(200);
    expect(await asAttacker('PATCH', '/api/providers/anthropic', { baseUrl: evil.url })).toBe(200);
    expect(await asAttacker('PATCH', '/api/providers/groq', { baseUrl: `${evil.url}/v1` })).toBe(200);
    for (const p of ['openai', 'anthropic', 'groq']) expect(await request(p)).toBe(424);
    expect(anyKey(evil)).toEqual([]);
    expect(evil.received).toEqual([]);
  });

  it('removing and re-adding the provider, or adding one an env key names, gets no key either', async () => {
    expect(await asAttacker('DELETE', '/api/providers/groq')).toBe(200);
    expect(
      await asAttacker('POST', '/api/providers', { name: 'groq', kind: 'openai', baseUrl: `${evil.url}/v1` }),
    ).toBe(201);
    expect(
      await asAttacker('POST', '/api/providers', {
        name: 'mistral',
        kind: 'openai',
        baseUrl: `${evil.url}/v1`,
      }),
    ).toBe(201);
    expect(await request('groq')).toBe(424);
    expect(await request('mistral')).toBe(424);
    expect(anyKey(evil)).toEqual([]);
  });

  it('the key list and provider list say which keys must be given again', async () => {
    const keys = JSON.parse((await shimmy(['key', 'list', '--json'])).stdout) as Array<{
      provider: string;
      usable: boolean;
      boundTo: string | null;
    }>;
    expect(keys.find((k) => k.provider === 'openai')).toMatchObject({
      usable: false,
      boundTo: `${real.url}/v1`,
    });
    expect(keys.find((k) => k.provider === 'mistral')).toMatchObject({ usable: false, boundTo: null });
    const providers = JSON.parse((await shimmy(['provider', 'list', '--json'])).stdout) as Array<{
      name: string;
      hasKey: boolean;
      keyNeedsReentry: boolean;
    }>;
    expect(providers.find((p) => p.name === 'openai')).toMatchObject({
      hasKey: false,
      keyNeedsReentry: true,
    });
  });

  it('a restart does not bind the stored keys to the repointed URL', async () => {
    await restart({ SHIMMY_KEY_GROQ: KEYS.groqEnv, SHIMMY_KEY_MISTRAL: KEYS.mistralEnv });
    expect(await request('openai')).toBe(424);
    expect(await request('anthropic')).toBe(424);
    expect(anyKey(evil)).toEqual([]);
  });

  it('pointing back makes the key work again; a new URL needs the key given again', async () => {
    expect(await asAttacker('PATCH', '/api/providers/anthropic', { baseUrl: `${real.url}/` })).toBe(200);
    expect(await request('anthropic')).toBe(200);
    expect(await asAttacker('PATCH', '/api/providers/openai', { baseUrl: `${moved.url}/v1` })).toBe(200);
    expect(await request('openai')).toBe(424);
    const set = await shimmy(['key', 'set', 'openai'], KEYS.openai);
    expect(set.code).toBe(0);
    // The person giving the key sees where it will go.
    expect(set.stdout).toContain(`${moved.url}/v1`);
    expect(await request('openai')).toBe(200);
    expect(sawKey(moved, KEYS.openai)).toBe(true);
    expect(anyKey(evil)).toEqual([]);
  });
});
