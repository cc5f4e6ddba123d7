// The dashboard's one-click connect: the admin routes write the agent's own config in the core's
// HOME (a temp dir here), keep the original, and put it back on disconnect.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let home: string;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-agent-routes-'));
  const keychainService = `ShimmyTest-${randomBytes(6).toString('hex')}`;
  h = await startHarness({
    keychainService,
    core: {
      env: { ...process.env, HOME: home, SHIMMY_KEYCHAIN_SERVICE: keychainService, XDG_CONFIG_HOME: '' },
    },
  });
  await h.tool('cc');
  await h.tool('oc');
});
afterAll(async () => {
  await h.close();
  await fs.rm(home, { recursive: true, force: true });
});

describe('agent admin routes', () => {
  it('lists every agent with its file and a copy-ready snippet that holds no token', async () => {
    const agents = await h.admin.call('listAgents', { query: { tool: 'cc' } });
    expect(agents.map((a) => a.id)).toEqual([
      'claude-code',
      'codex',
      'gemini',
      'opencode',
      'aider',
      'continue',
    ]);
    const cc = agents.find((a) => a.id === 'claude-code')!;
    expect(cc.file).toBe(path.join(home, '.claude', 'settings.json'));
    expect(cc.connected).toBe(false);
    expect(JSON.parse(cc.snippet).apiKeyHelper).toMatch(/ token --tool cc --ttl 1h --data-dir /);
    for (const a of agents) expect(a.snippet).not.toMatch(/shm_[A-Za-z0-9_-]{8,}/);
  });

  it('dry run shows the diff and writes nothing; connect writes; disconnect restores byte for byte', async () => {
    const file = path.join(home, '.config', 'opencode', 'opencode.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    const original = '{"theme":"tokyonight"}';
    await fs.writeFile(file, original);

    const dry = await h.admin.call('connectAgent', {
      params: { agent: 'opencode' },
      body: { tool: 'oc', dryRun: true },
    });
    expect(dry.written).toBe(false);
    expect(dry.diff).toContain(`"baseURL": "${h.core.url}/v1"`);
    expect(await fs.readFile(file, 'utf8')).toBe(original);

    const done = await h.admin.call('connectAgent', { params: { agent: 'opencode' }, body: { tool: 'oc' } });
    expect(done.written).toBe(true);
    const written = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(written.provider.openai.options.baseURL).toBe(`${h.core.url}/v1`);
    // The token written is a live token of the tool, labelled for the agent.
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${written.provider.openai.options.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const tool = (await h.admin.call('listTools')).find((t) => t.name === 'oc')!;
    expect(tool.tokens.some((t) => t.label === 'connect-opencode')).toBe(true);
    expect((await h.admin.call('listAgents')).find((a) => a.id === 'opencode')!.connected).toBe(true);

    const undo = await h.admin.call('disconnectAgent', { params: { agent: 'opencode' } });
    expect(undo.action).toBe('restored');
    expect(await fs.readFile(file, 'utf8')).toBe(original);
  });

  it('a file it cannot parse is refused with 409 and left alone; an unknown agent is 404', async () => {
    const file = path.join(home, '.claude', 'settings.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{ broken');
    await expect(
      h.admin.call('connectAgent', { params: { agent: 'claude-code' }, body: { tool: 'cc' } }),
    ).rejects.toThrow(/not valid JSON/);
    expect(await fs.readFile(file, 'utf8')).toBe('{ broken');
    await expect(h.admin.call('connectAgent', { params: { agent: 'vim' }, body: {} })).rejects.toThrow(
      /No agent named/,
    );
  });
});
