// Secret hygiene after a realistic session through the real CLI and `shimmy serve`: no provider key
// and no tool token may land in any file of the data dir, in the server's logs or in CLI output
// that is not meant to show it; the admin API shows keys only masked and never a token hash.
import Anthropic from '@anthropic-ai/sdk';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import { loadKeytar } from '../../main/core/vault/vault.js';
import {
  cliEnv,
  createOutputLog,
  freePort,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { findLeaks, readTree, type Haystack, type NamedSecret } from '../support/secret-scan.js';

const rand = () => randomBytes(8).toString('hex');
const KEYS = {
  openai: `sk-proj-secret-${rand()}-OAIK`,
  openaiBackup: `sk-proj-backup-${rand()}-OAIB`,
  anthropic: `sk-ant-api03-secret-${rand()}-ANTK`,
  down: `sk-down-secret-${rand()}-DOWN`,
};

let upstream: FakeUpstream;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let keychainService: string;
let serve: ServeProcess;
let admin: AdminClient;
const outputs = createOutputLog();
const secrets: NamedSecret[] = Object.entries(KEYS).map(([name, value]) => ({ name: `key:${name}`, value }));
/** Which commands legitimately print a token (it is their job): only their stderr is checked. */
const tokenPrinters = new Set(['tool add', 'tool rotate', 'env', 'exec']);

async function shimmy(args: string[], input?: string): Promise<CliResult> {
  const cut = args.indexOf('--');
  const withDir =
    cut < 0
      ? [...args, '--data-dir', dataDir]
      : [...args.slice(0, cut), '--data-dir', dataDir, ...args.slice(cut)];
  const r = await runCli(withDir, { env, ...(input !== undefined ? { input } : {}) });
  const printsToken = tokenPrinters.has(args.slice(0, 2).join(' ')) || tokenPrinters.has(args[0]!);
  outputs.add(`stderr of shimmy ${args.join(' ')}`, r.stderr);
  if (!printsToken) outputs.add(`stdout of shimmy ${args.join(' ')}`, r.stdout);
  if (r.code !== 0) throw new Error(`shimmy ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r;
}

async function newTool(name: string, ...limits: string[]): Promise<string> {
  const { token } = JSON.parse((await shimmy(['tool', 'add', name, ...limits, '--json'])).stdout) as {
    token: string;
  };
  secrets.push({ name: `token:${name}`, value: token });
  return token;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

beforeAll(async () => {
  upstream = await startFakeUpstream();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-secrets-'));
  ({ env, keychainService } = cliEnv());
  serve = await startServe({ port: await freePort(), dataDir, env });
  admin = await connectAdmin(dataDir);
  await admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${upstream.url}/v1` } });
  await admin.call('patchProvider', { params: { name: 'anthropic' }, body: { baseUrl: upstream.url } });
  await shimmy(['provider', 'add', 'down', '--kind', 'openai', '--base-url', 'http://127.0.0.1:9/v1']);
  await shimmy(['key', 'set', 'openai'], KEYS.openai);
  await shimmy(['key', 'add', 'openai', '--label', 'backup'], `${KEYS.openaiBackup}\n`);
  await shimmy(['key', 'set', 'down'], KEYS.down);
  // One key through the admin API, as the dashboard sets it.
  await admin.call('putKey', { body: { provider: 'anthropic', key: KEYS.anthropic } });
  await admin.call('patchSettings', { body: { cacheEnabled: true } });
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  // Straight from the keychain: the instance may be gone, and nothing of this run may stay behind.
  const keychain = await loadKeytar();
  for (const c of (await keychain?.findCredentials(keychainService)) ?? [])
    await keychain!.deletePassword(keychainService, c.account);
  await upstream?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('after a session of requests, including errors', { timeout: 180_000 }, () => {
  let rotated: string;

  it('runs the session', async () => {
    const alpha = await newTool('alpha');
    const tiny = await newTool('tiny', '--daily-usd', '0.000001');
    const oai = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: alpha, maxRetries: 0 });
    const ant = new Anthropic({ baseURL: serve.url, apiKey: alpha, maxRetries: 0 });
    const hi = [{ role: 'user' as const, content: 'hi' }];

    // Successes, every endpoint family.
    await oai.chat.completions.create({ model: 'gpt-4o-mini', messages: hi });
    for await (const _ of await oai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hi,
      stream: true,
    }))
      void _;
    await oai.responses.create({ model: 'gpt-4o-mini', input: 'hi' });
    await oai.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' });
    await ant.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: hi });
    await ant.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 16, messages: hi }).finalMessage();
    await ant.messages.countTokens({ model: 'claude-haiku-4-5', messages: hi });
    // Cached answers land in the data dir too: a cacheable request, twice (the second is a hit).
    await oai.chat.completions.create({ model: 'gpt-4o-mini', messages: hi, temperature: 0 });
    const again = await oai.chat.completions
      .create({ model: 'gpt-4o-mini', messages: hi, temperature: 0 })
      .withResponse();
    expect(again.response.headers.get('x-shimmy-cache')).toMatch(/^hit/);
    // The openai pool has two keys; either may serve a request, nothing else may reach upstream.
    const openaiAuth = upstream.received
      .filter((r) => !r.path.startsWith('/v1/messages'))
      .map((r) => r.headers.authorization);
    expect(openaiAuth.length).toBe(5);
    expect(
      openaiAuth.filter((a) => a !== `Bearer ${KEYS.openai}` && a !== `Bearer ${KEYS.openaiBackup}`),
    ).toEqual([]);
    expect(upstream.received.filter((r) => r.headers['x-api-key'] === KEYS.anthropic).length).toBe(3);

    // Errors: upstream failures, a cut stream, a client abort.
    await expect(oai.chat.completions.create({ model: 'fail-500', messages: hi })).rejects.toThrow(/500/);
    await expect(ant.messages.create({ model: 'fail-429', max_tokens: 16, messages: hi })).rejects.toThrow(
      /429/,
    );
    await expect(ant.messages.create({ model: 'fail-401', max_tokens: 16, messages: hi })).rejects.toThrow(
      /401/,
    );
    await expect(
      (async () => {
        for await (const _ of await oai.chat.completions.create({
          model: 'cut-stream',
          messages: hi,
          stream: true,
        }))
          void _;
      })(),
    ).rejects.toThrow();
    const ac = new AbortController();
    let n = 0;
    try {
      for await (const _ of await oai.chat.completions.create(
        { model: 'slow-stream', messages: hi, stream: true },
        { signal: ac.signal },
      ))
        if (++n === 2) ac.abort();
    } catch (err) {
      // The SDK may end the loop quietly or throw an abort error: either way the client is gone.
      expect(String(err)).toMatch(/abort/i);
    }
    expect(n).toBe(2);
    await expect(oai.chat.completions.create({ model: 'down/x', messages: hi })).rejects.toMatchObject({
      status: 502,
    });

    // A misconfigured tool that sends a real provider key to Shimmy: refused, and it must not be logged.
    const misused = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: KEYS.openai, maxRetries: 0 });
    await expect(misused.models.list()).rejects.toMatchObject({ status: 401 });
    const misusedAnt = new Anthropic({ baseURL: serve.url, apiKey: KEYS.anthropic, maxRetries: 0 });
    await expect(
      misusedAnt.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: hi }),
    ).rejects.toMatchObject({ status: 401 });

    // Limits and tool state.
    const tinyClient = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: tiny, maxRetries: 0 });
    await expect(
      tinyClient.chat.completions.create({ model: 'gpt-4o-mini', messages: hi }),
    ).rejects.toMatchObject({ status: 429 });
    await shimmy(['tool', 'pause', 'alpha']);
    await expect(oai.models.list()).rejects.toMatchObject({ status: 403 });
    await shimmy(['tool', 'resume', 'alpha']);

    // Token lifecycle: rotate, env, exec (whose child uses its token, then exits).
    rotated = (JSON.parse((await shimmy(['tool', 'rotate', 'alpha', '--json'])).stdout) as { token: string })
      .token;
    secrets.push({ name: 'token:alpha(rotated)', value: rotated });
    await expect(oai.models.list()).rejects.toMatchObject({ status: 401 });
    const envOut = (await shimmy(['env', '--tool', 'alpha'])).stdout;
    const envToken = /^export OPENAI_API_KEY='([^']+)'$/m.exec(envOut)?.[1];
    expect(envToken).toMatch(/^shm_/);
    secrets.push({ name: 'token:alpha(env)', value: envToken! });
    const script = `const r = await fetch(process.env.OPENAI_BASE_URL + '/models', { headers: { authorization: 'Bearer ' + process.env.OPENAI_API_KEY } }); console.log(process.env.OPENAI_API_KEY, r.status);`;
    const execOut = (
      await shimmy(['exec', '--tool', 'alpha', '--', process.execPath, '--input-type=module', '-e', script])
    ).stdout
      .trim()
      .split(' ');
    expect(execOut[1]).toBe('200');
    secrets.push({ name: 'token:alpha(exec)', value: execOut[0]! });

    // Reading things back through the CLI.
    const logs = await shimmy(['logs', '--format', 'jsonl', '--limit', '500']);
    expect(logs.stdout).toContain('"errorClass":"client_abort"');
    await shimmy(['logs']);
    await shimmy(['usage', '--by', 'tool,model']);
    await shimmy(['key', 'list']);
    await shimmy(['key', 'list', '--json']);
    await shimmy(['tool', 'list', '--json']);
    await shimmy(['provider', 'list', '--json']);
    expect(secrets.length).toBe(4 + 5);
  });

  it('the keys are in the real keychain (and only there)', async () => {
    const stored = await (await loadKeytar())!.findCredentials(keychainService);
    // Each entry holds the key and the one base URL it may be sent to.
    const entries = Object.fromEntries(
      stored.map((c) => [c.account, (JSON.parse(c.password) as { key: string }).key]),
    );
    expect(entries).toEqual({
      openai: KEYS.openai,
      'openai#backup': KEYS.openaiBackup,
      anthropic: KEYS.anthropic,
      down: KEYS.down,
    });
  });

  it('the admin API shows keys only masked', async () => {
    const keys = await (await admin.fetchRaw('/api/keys')).text();
    const providers = await (await admin.fetchRaw('/api/providers')).text();
    expect(JSON.parse(keys)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          provider: 'openai',
          label: 'default',
          masked: 'sk-…OAIK',
          source: 'keychain',
        }),
        expect.objectContaining({
          provider: 'openai',
          label: 'backup',
          masked: 'sk-…OAIB',
          source: 'keychain',
        }),
        expect.objectContaining({
          provider: 'anthropic',
          label: 'default',
          masked: 'sk-…ANTK',
          source: 'keychain',
        }),
      ]),
    );
    expect(JSON.parse(providers)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'openai', hasKey: true })]),
    );
    expect(
      findLeaks(
        [
          { label: '/api/keys', bytes: Buffer.from(keys) },
          { label: '/api/providers', bytes: Buffer.from(providers) },
        ],
        secrets,
      ),
    ).toEqual([]);
  });

  it('the admin API never returns a token or a token hash', async () => {
    const tools = await (await admin.fetchRaw('/api/tools')).text();
    const config = await fs.readFile(path.join(dataDir, 'config.json'), 'utf8');
    // The hash is what config.json keeps: proves the hashes checked below are the real ones.
    expect(config).toContain(hashOf(rotated));
    expect(tools).not.toContain('"hash"');
    for (const s of secrets.filter((x) => x.name.startsWith('token:')))
      expect(tools).not.toContain(hashOf(s.value));
    const requests = await (await admin.fetchRaw('/api/requests?limit=500')).text();
    const exported = await (await admin.fetchRaw('/api/export?format=jsonl')).text();
    expect(JSON.parse(requests).records.length).toBeGreaterThanOrEqual(15);
    const api: Haystack[] = [
      { label: '/api/tools', bytes: Buffer.from(tools) },
      { label: '/api/requests', bytes: Buffer.from(requests) },
      { label: '/api/export', bytes: Buffer.from(exported) },
    ];
    expect(findLeaks(api, secrets)).toEqual([]);
  });

  it('no key or token in any file of the data dir, nor in any log or output', async () => {
    // Stopping flushes everything the instance buffers.
    expect(await serve.stop()).toBe(0);
    const files = await readTree(dataDir);
    // The scan really reads the ledger and the config (tool names are in both).
    expect(files.some((f) => f.label.startsWith('ledger') && f.bytes.includes('alpha'))).toBe(true);
    expect(files.some((f) => f.label === 'config.json')).toBe(true);
    expect(files.some((f) => f.label.startsWith('cache'))).toBe(true);
    // A planted leak is found: the scan can fail.
    expect(findLeaks([{ label: 'control', bytes: Buffer.from(`x${KEYS.down}y`) }], secrets)).toEqual([
      'key:down in control',
    ]);
    const logs: Haystack[] = [
      { label: 'serve stdout', bytes: Buffer.from(serve.stdout()) },
      { label: 'serve stderr', bytes: Buffer.from(serve.stderr()) },
      ...outputs.all().map((o) => ({ label: o.label, bytes: Buffer.from(o.text) })),
    ];
    // The request log lines did reach stdout (one per request, with status).
    expect(serve.stdout()).toContain('"status":401');
    expect(serve.stdout()).toContain('"error":"client_abort"');
    expect(findLeaks([...files, ...logs], secrets)).toEqual([]);
  });
});
