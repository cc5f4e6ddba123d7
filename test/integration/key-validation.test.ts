// Bad keys are refused where they come in — `shimmy key set`/`key add` (real CLI processes) and
// PUT /api/keys (the dashboard's path) — with a message saying what is wrong, never the key, and
// nothing in the real keychain; `--force` stores an unusually shaped key. The presets keep their
// real base URLs here: storing a key sends nothing anywhere.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { loadKeytar, type Keychain } from '../../main/core/vault/vault.js';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';

const rand = () => randomBytes(16).toString('hex');
// Shaped like each service's keys (OpenAI sk-proj-…, Anthropic sk-ant-api03-…), made up.
const OPENAI_KEY = `sk-proj-${rand()}${rand()}`;
const ANTHROPIC_KEY = `sk-ant-api03-${rand()}${rand()}`;

let dataDir: string;
let env: NodeJS.ProcessEnv;
let keychainService: string;
let keychain: Keychain;
let serve: ServeProcess;
const slow = { timeout: 90_000 };

const shimmy = (args: string[], input: string) => runCli([...args, '--data-dir', dataDir], { env, input });
const stored = async () => (await keychain.findCredentials(keychainService)).map((c) => c.account).sort();

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-keyval-'));
  ({ env, keychainService } = cliEnv());
  keychain = (await loadKeytar())!;
  serve = await startServe({ port: await freePort(), dataDir, env });
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  for (const c of (await keychain?.findCredentials(keychainService)) ?? [])
    await keychain.deletePassword(keychainService, c.account);
  await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('key set / key add refuse what is not a key', slow, () => {
  const cases: Array<[string, string, RegExp]> = [
    ['two lines', `${OPENAI_KEY}\nsecond line\n`, /2 lines/],
    ['a masked key pasted back (…)', 'sk-…e1f2\n', /masked key/],
    ['a masked key pasted back (...)', 'sk-...e1f2\n', /masked key/],
    ['stars', '****\n', /masked key/],
    ['prose', `here is my key ${OPENAI_KEY}\n`, /spaces/],
    ['an Anthropic key for OpenAI', `${ANTHROPIC_KEY}\n`, /not look like an OpenAI key.*Anthropic/],
  ];
  for (const [what, input, why] of cases) {
    it(`key set openai: ${what}`, async () => {
      const r = await shimmy(['key', 'set', 'openai'], input);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain('Nothing was stored');
      expect(r.stdout + r.stderr).not.toContain(OPENAI_KEY.slice(8, 24));
      expect(r.stdout + r.stderr).not.toContain(ANTHROPIC_KEY.slice(13, 29));
      expect(await stored()).toEqual([]);
    });
  }

  it('key add refuses the same way', async () => {
    const r = await shimmy(['key', 'add', 'anthropic', '--label', 'second'], `${OPENAI_KEY}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not look like an Anthropic key: it looks like an OpenAI key/);
    expect(r.stderr).toMatch(/--force/);
    expect(await stored()).toEqual([]);
  });

  it('--force stores an unusually shaped key, but never a multi-line one', async () => {
    const multi = await shimmy(['key', 'set', 'openai', '--force'], `${OPENAI_KEY}\n${OPENAI_KEY}\n`);
    expect(multi.code).toBe(1);
    expect(multi.stderr).toMatch(/2 lines/);
    expect(await stored()).toEqual([]);
    const forced = await shimmy(['key', 'set', 'openai', '--force'], `${ANTHROPIC_KEY}\n`);
    expect(forced.code).toBe(0);
    expect(await stored()).toEqual(['openai']);
  });

  it('a key shaped right is stored', async () => {
    const r = await shimmy(['key', 'add', 'anthropic', '--label', 'second'], `${ANTHROPIC_KEY}\n`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sk-…${ANTHROPIC_KEY.slice(-4)}`);
    expect(await stored()).toEqual(['anthropic#second', 'openai']);
  });
});

describe('PUT /api/keys (the dashboard) answers a JSON error', slow, () => {
  it('400 naming the problem and the field, never the key', async () => {
    const admin = await connectAdmin(dataDir);
    const secret = JSON.parse(await fs.readFile(path.join(dataDir, 'instance.json'), 'utf8')).secret;
    const put = (body: unknown) =>
      fetch(`${admin.url}/api/keys`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const masked = await put({ provider: 'google', key: 'AIza…Xy12' });
    expect(masked.status).toBe(400);
    const body = (await masked.json()) as { error: { message: string; field?: string } };
    expect(body.error.field).toBe('key');
    expect(body.error.message).toMatch(/masked key/);

    const wrong = await put({ provider: 'google', key: OPENAI_KEY });
    expect(wrong.status).toBe(400);
    const text = await wrong.text();
    expect(text).toMatch(/not look like a Google key/);
    expect(text).not.toContain(OPENAI_KEY.slice(8, 24));

    const forced = await put({ provider: 'google', key: OPENAI_KEY, force: true });
    expect(forced.status).toBe(200);
    expect(await stored()).toContain('google');
  });
});
