// The real CLI as child processes: `shimmy serve` in front of a fake upstream, and every
// management command against it, with keys in the real OS keychain (a throwaway service name).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { loadKeytar, type Keychain } from '../../main/core/vault/vault.js';
import {
  cliEnv,
  freePort,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';

// Ends in "abcd" so its masked form is exactly `sk-…abcd`.
const OPENAI_KEY = `sk-cli-${randomBytes(8).toString('hex')}-abcd`;

let upstream: FakeUpstream;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let keychainService: string;
let keychain: Keychain;
let port: number;
let serve: ServeProcess;
const tempDirs: string[] = [];
// Each CLI process loads the whole compiled core (seconds on a busy machine): generous timeouts.
const slow = { timeout: 90_000 };

const tmpDir = async () => {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-cli-'));
  tempDirs.push(d);
  return d;
};

/** `shimmy ARGS --data-dir <dataDir>` (placed before a `--`, where exec's command starts). */
function shimmy(args: string[], input?: string, dir = dataDir): Promise<CliResult> {
  const cut = args.indexOf('--');
  const withDir =
    cut < 0 ? [...args, '--data-dir', dir] : [...args.slice(0, cut), '--data-dir', dir, ...args.slice(cut)];
  return runCli(withDir, { env, ...(input !== undefined ? { input } : {}) });
}

/** A chat completion through the proxy with a tool token; returns the HTTP status. */
async function proxyStatus(token: string): Promise<number> {
  const res = await fetch(`${serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dataDir = await tmpDir();
  ({ env, keychainService } = cliEnv());
  keychain = (await loadKeytar())!;
  port = await freePort();
  serve = await startServe({ port, dataDir, env });
}, 60_000);

afterAll(async () => {
  await shimmy(['key', 'remove', 'openai']).catch(() => undefined);
  await serve?.stop();
  await keychain?.deletePassword(keychainService, 'openai').catch(() => undefined);
  await upstream?.close();
  for (const d of tempDirs) await fs.rm(d, { recursive: true, force: true });
}, 60_000);

describe('shimmy serve', slow, () => {
  it('prints the base URLs for the port it was given', () => {
    expect(serve.url).toBe(`http://127.0.0.1:${port}`);
    expect(serve.stderr()).toContain(`OpenAI base URL:     http://127.0.0.1:${port}/v1`);
    expect(serve.stderr()).toContain(`Anthropic base URL:  http://127.0.0.1:${port}\n`);
  });

  it('writes <dataDir>/instance.json with mode 0600', async () => {
    const file = path.join(dataDir, 'instance.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const info = JSON.parse(await fs.readFile(file, 'utf8')) as { url: string; pid: number };
    expect(info.url).toBe(serve.url);
    expect(info.pid).toBe(serve.child.pid);
  });

  it('a second serve on the same port exits non-zero naming the port', async () => {
    const r = await runCli(['serve', '--port', String(port), '--data-dir', await tmpDir()], { env });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toContain(`Port ${port}`);
    // The first instance is untouched.
    expect((await fetch(`${serve.url}/v1/models`)).status).toBe(401);
  });

  it('a second serve on the same port and data dir exits non-zero and leaves the running instance alone', async () => {
    const file = path.join(dataDir, 'instance.json');
    const before = await fs.readFile(file, 'utf8');
    const r = await runCli(['serve', '--port', String(port), '--data-dir', dataDir], { env });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    // The data dir's lock is checked before the port: it names the dir and the PID holding it.
    expect(r.stderr).toContain(`PID ${serve.child.pid}`);
    expect(r.stderr).toContain(dataDir);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect((await shimmy(['tool', 'list'])).code).toBe(0);
  });

  it('--help lists the commands', async () => {
    const r = await runCli(['--help'], { env });
    expect(r.code).toBe(0);
    for (const cmd of [
      'serve',
      'provider',
      'key',
      'tool',
      'exec',
      'env',
      'usage',
      'logs',
      'price',
      'dashboard',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
  });
});

describe('management commands without a running instance', slow, () => {
  it('say no instance runs for that data dir and how to start one', async () => {
    const empty = await tmpDir();
    const r = await shimmy(['tool', 'list'], undefined, empty);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`No Shimmy instance is running for data dir ${empty}`);
    expect(r.stderr).toContain(`shimmy serve --data-dir "${empty}"`);
  });

  it('say the same when instance.json outlived its process', async () => {
    const stale = await tmpDir();
    const deadPort = await freePort();
    await fs.writeFile(
      path.join(stale, 'instance.json'),
      JSON.stringify({ url: `http://127.0.0.1:${deadPort}`, secret: 'x', pid: 1 }),
      { mode: 0o600 },
    );
    const r = await shimmy(['key', 'list'], undefined, stale);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('No Shimmy instance is running');
  });
});

describe('providers and keys', slow, () => {
  it('provider add / list / remove', async () => {
    const add = await shimmy([
      'provider',
      'add',
      'groq',
      '--kind',
      'openai',
      '--base-url',
      `${upstream.url}/v1`,
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`Added provider groq (openai) → ${upstream.url}/v1`);
    expect(add.stdout).toContain('shimmy key set groq');

    const [list, table, bad] = await Promise.all([
      shimmy(['provider', 'list', '--json']),
      shimmy(['provider', 'list']),
      shimmy(['provider', 'add', 'x', '--kind', 'gemini', '--base-url', 'http://127.0.0.1:1']),
    ]);
    const providers = JSON.parse(list.stdout) as Array<{
      name: string;
      kind: string;
      baseUrl: string;
      hasKey: boolean;
    }>;
    expect(providers.find((p) => p.name === 'groq')).toMatchObject({
      kind: 'openai',
      baseUrl: `${upstream.url}/v1`,
      hasKey: false,
    });
    expect(table.stdout).toMatch(/^groq\s+openai\s/m);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--kind must be openai or anthropic');

    const rm = await shimmy(['provider', 'remove', 'groq']);
    expect(rm.code).toBe(0);
    expect((await shimmy(['provider', 'list'])).stdout).not.toContain('groq');
  });

  it('key set reads the key from stdin, stores it in the real keychain and prints only the masked form', async () => {
    // The key is bound to the base URL the provider has when it is given: point it first.
    await (
      await connectAdmin(dataDir)
    ).call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${upstream.url}/v1` } });
    const r = await shimmy(['key', 'set', 'openai'], `${OPENAI_KEY}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sk-…abcd');
    expect(r.stdout + r.stderr).not.toContain(OPENAI_KEY);
    // Stored with the base URL it may be sent to.
    expect(JSON.parse((await keychain.getPassword(keychainService, 'openai'))!)).toMatchObject({
      key: OPENAI_KEY,
      baseUrl: `${upstream.url}/v1`,
    });
    expect(r.stdout).toContain(`sent only to ${upstream.url}/v1`);
  });

  it('key list shows keys masked', async () => {
    const [table, json] = await Promise.all([shimmy(['key', 'list']), shimmy(['key', 'list', '--json'])]);
    expect(table.stdout).toMatch(/^openai\s+default\s+sk-…abcd\s+keychain\s+http:\/\/127\.0\.0\.1:\d+\/v1$/m);
    expect(JSON.parse(json.stdout)).toEqual([
      {
        provider: 'openai',
        label: 'default',
        masked: 'sk-…abcd',
        source: 'keychain',
        boundTo: `${upstream.url}/v1`,
        usable: true,
      },
    ]);
    expect(table.stdout + json.stdout).not.toContain(OPENAI_KEY);
  });
});

describe('tools through the proxy', slow, () => {
  let token: string;

  it('the key set through the CLI is what the upstream receives', async () => {
    const add = await shimmy(['tool', 'add', 'aider', '--daily-usd', '5', '--json']);
    expect(add.code).toBe(0);
    const created = JSON.parse(add.stdout) as { name: string; token: string };
    expect(Object.keys(created).sort()).toEqual(['name', 'token']);
    expect(created.name).toBe('aider');
    expect(created.token).toMatch(/^shm_[A-Za-z0-9_-]{32}$/);
    token = created.token;

    expect(await proxyStatus(token)).toBe(200);
    const got = upstream.received.at(-1)!;
    expect(got.path).toBe('/v1/chat/completions');
    expect(got.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('tool list shows the tool and its limits', async () => {
    const [table, jsonOut] = await Promise.all([
      shimmy(['tool', 'list']),
      shimmy(['tool', 'list', '--json']),
    ]);
    expect(table.stdout).toMatch(/^aider\s+active\s+\$5\.00\/day\s+1$/m);
    const json = JSON.parse(jsonOut.stdout) as Array<{ name: string; limits: { dailyUsd?: number } }>;
    expect(json.map((t) => [t.name, t.limits.dailyUsd])).toEqual([['aider', 5]]);
  });

  it('tool pause refuses requests with 403 and resume lets them through', async () => {
    expect((await shimmy(['tool', 'pause', 'aider'])).stdout).toContain('aider paused');
    expect(await proxyStatus(token)).toBe(403);
    expect((await shimmy(['tool', 'list'])).stdout).toMatch(/^aider\s+paused\s/m);
    expect((await shimmy(['tool', 'resume', 'aider'])).stdout).toContain('aider resumed');
    expect(await proxyStatus(token)).toBe(200);
  });

  it('tool rotate kills the old token and the new one works', async () => {
    const r = await shimmy(['tool', 'rotate', 'aider', '--json']);
    expect(r.code).toBe(0);
    const rotated = JSON.parse(r.stdout) as { name: string; token: string };
    expect(rotated.name).toBe('aider');
    expect(rotated.token).toMatch(/^shm_/);
    expect(rotated.token).not.toBe(token);
    expect(await proxyStatus(token)).toBe(401);
    expect(await proxyStatus(rotated.token)).toBe(200);
    token = rotated.token;
  });

  it('exec runs a command pointed at the proxy with a working token that dies when it exits', async () => {
    const script = `
      const e = process.env;
      const res = await fetch(e.OPENAI_BASE_URL + '/chat/completions', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + e.OPENAI_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
      });
      const ant = await fetch(e.ANTHROPIC_BASE_URL + '/v1/messages/count_tokens', {
        method: 'POST',
        headers: { 'x-api-key': e.ANTHROPIC_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-haiku-4-5', messages: [] }),
      });
      console.log(JSON.stringify({ env: Object.fromEntries(Object.entries(e).filter(([k]) => /^(OPENAI|ANTHROPIC)_/.test(k))), openai: res.status, anthropic: ant.status }));
      process.exit(7);`;
    const r = await shimmy([
      'exec',
      '--tool',
      'aider',
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ]);
    expect(r.code).toBe(7);
    const out = JSON.parse(r.stdout) as { env: Record<string, string>; openai: number; anthropic: number };
    const t = out.env.OPENAI_API_KEY!;
    expect(t).toMatch(/^shm_/);
    expect(t).not.toBe(token);
    expect(out.env).toEqual({
      OPENAI_BASE_URL: `${serve.url}/v1`,
      OPENAI_API_BASE: `${serve.url}/v1`,
      OPENAI_API_KEY: t,
      ANTHROPIC_BASE_URL: serve.url,
      ANTHROPIC_API_KEY: t,
      ANTHROPIC_AUTH_TOKEN: t,
    });
    expect(out.openai).toBe(200);
    // No anthropic key is set: the token got past auth and routing stopped at the missing key.
    expect(out.anthropic).toBe(424);
    expect(await proxyStatus(t)).toBe(401);
  });

  it('exec exits 128 + the signal number when its command is killed by a signal, and still revokes its token', async () => {
    const script = `console.log(process.env.OPENAI_API_KEY); process.kill(process.pid, 'SIGTERM');`;
    const r = await shimmy(['exec', '--tool', 'aider', '--', process.execPath, '-e', script]);
    const t = r.stdout.trim();
    expect(t).toMatch(/^shm_/);
    expect(await proxyStatus(t)).toBe(401);
    // The shell convention (bash: 143 for SIGTERM) that scripts and CI check for.
    expect(r.code).toBe(128 + os.constants.signals.SIGTERM);
  });

  it('env prints export lines with a working token', async () => {
    const r = await shimmy(['env', '--tool', 'aider']);
    expect(r.code).toBe(0);
    const vars = Object.fromEntries(
      [...r.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(vars).sort()).toEqual([
      'ANTHROPIC_API_KEY',
      'ANTHROPIC_AUTH_TOKEN',
      'ANTHROPIC_BASE_URL',
      'GEMINI_API_KEY',
      'GOOGLE_GEMINI_BASE_URL',
      'OPENAI_API_BASE',
      'OPENAI_API_KEY',
      'OPENAI_BASE_URL',
    ]);
    expect(vars.OPENAI_BASE_URL).toBe(`${serve.url}/v1`);
    expect(vars.ANTHROPIC_BASE_URL).toBe(serve.url);
    expect(vars.OPENAI_API_KEY).toMatch(/^shm_/);
    expect(await proxyStatus(vars.OPENAI_API_KEY!)).toBe(200);
  });

  it('key remove deletes the key from the keychain; requests then name the fix', async () => {
    const r = await shimmy(['key', 'remove', 'openai']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Removed openai key');
    expect(await keychain.getPassword(keychainService, 'openai')).toBeNull();
    expect((await shimmy(['key', 'list'])).stdout).toContain('No keys yet');
    const res = await fetch(`${serve.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }),
    });
    expect(res.status).toBe(424);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
      'shimmy key set openai',
    );
  });
});

describe('shutdown', () => {
  it('SIGTERM stops serve cleanly and removes instance.json', async () => {
    expect(await serve.stop()).toBe(0);
    await expect(fs.stat(path.join(dataDir, 'instance.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
