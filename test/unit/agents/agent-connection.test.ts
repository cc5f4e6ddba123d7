// connect writes each agent's own config format; disconnect puts the original back byte for byte.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_IDS, type AgentId } from '../../../shared/agents.js';
import { createAgentService, type AgentService } from '../../../main/core/agents/agent-service.js';

const TOKEN = 'shm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAzz9Q';
let home: string;
let agents: AgentService;
let revoked: number;

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-agents-'));
  revoked = 0;
  agents = createAgentService({
    env: { HOME: home },
    dataDir: path.join(home, 'data'),
    baseUrl: () => 'http://127.0.0.1:8484',
    mint: async () => ({ token: TOKEN, revoke: async () => void revoked++ }),
    shimmyArgv: ['/usr/bin/node', '/opt/shimmy/bin/shimmy.js'],
  });
});
afterEach(() => fs.rm(home, { recursive: true, force: true }));

async function connect(agent: AgentId, tool: string = agent) {
  const { plan } = await agents.plan(agent, tool);
  return { ...(await agents.commit(plan)), diff: plan.diff };
}
const fileOf = async (agent: AgentId) => (await agents.list()).find((a) => a.id === agent)!.file;

// What each agent's user already had: comments, odd spacing, CRLF, no final newline.
const ORIGINALS: Record<AgentId, string> = {
  'claude-code': '{\n    "model": "opus",\n    "env": { "FOO": "1", "ANTHROPIC_API_KEY": "sk-ant-old" }\n}',
  codex:
    '# my codex\nmodel = "gpt-5.1-codex"  # keep\n\n[model_providers.other]\nname = "Other"\nbase_url = "https://x.example/v1"\n',
  gemini: 'FOO=bar\r\nGEMINI_API_KEY=old-key\r\n',
  opencode:
    '{"$schema":"https://opencode.ai/config.json","provider":{"anthropic":{"options":{"timeout":5}}},"theme":"x"}',
  aider: '# aider\nmodel: sonnet\nopenai-api-key: sk-old\n',
  continue:
    'name: Mine\nversion: 1.0.0\nschema: v1\nmodels:\n    - name: Local\n      provider: ollama\n      model: llama3\nrules:\n  - be brief\n',
};

describe('shimmy connect / disconnect (agent config files)', () => {
  it.each(AGENT_IDS)(
    '%s: connect over an existing file, then disconnect restores it byte for byte',
    async (agent) => {
      const file = await fileOf(agent);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, ORIGINALS[agent], { mode: 0o644 });
      const original = await fs.readFile(file);

      const r = await connect(agent);
      const written = await fs.readFile(file, 'utf8');
      expect(written).not.toBe(ORIGINALS[agent]);
      expect(written).toContain('127.0.0.1:8484');
      expect(r.diff).toMatch(/^--- /);
      expect(r.diff).not.toContain(TOKEN); // masked on screen

      // Connecting again over our own write changes nothing and does not pile entries up.
      const again = await agents.plan(agent, agent);
      expect(again.plan.diff).toBe('');

      const d = await agents.disconnect(agent);
      expect(d.action).toBe('restored');
      expect((await fs.readFile(file)).equals(original)).toBe(true);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
      expect((await agents.disconnect(agent)).action).toBe('not-connected');
    },
  );

  it.each(AGENT_IDS)('%s: a file that did not exist is removed again by disconnect', async (agent) => {
    const file = await fileOf(agent);
    await connect(agent);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await agents.disconnect(agent)).action).toBe('removed');
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an edit made after connect is kept beside the restored original', async () => {
    const file = await fileOf('gemini');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'A=1\n');
    await connect('gemini');
    await fs.appendFile(file, 'MINE=2\n');
    const d = await agents.disconnect('gemini');
    expect(await fs.readFile(file, 'utf8')).toBe('A=1\n');
    expect(await fs.readFile(d.keptCopy!, 'utf8')).toContain('MINE=2');
  });

  it('Gemini CLI: the .env and the auth type in settings.json, both put back by disconnect', async () => {
    const settings = path.join(home, '.gemini', 'settings.json');
    await fs.mkdir(path.dirname(settings), { recursive: true });
    const original =
      '{"privacy":{"usageStatisticsEnabled":false},"security":{"auth":{"selectedType":"oauth-personal"}}}';
    await fs.writeFile(settings, original);
    await connect('gemini');
    const s = JSON.parse(await fs.readFile(settings, 'utf8'));
    expect(s).toEqual({
      privacy: { usageStatisticsEnabled: false },
      security: { auth: { selectedType: 'gemini-api-key' } },
    });
    expect(await fs.readFile(path.join(home, '.gemini', '.env'), 'utf8')).toContain(
      `GEMINI_API_KEY=${TOKEN}`,
    );
    expect((await agents.disconnect('gemini')).action).toBe('removed');
    expect(await fs.readFile(settings, 'utf8')).toBe(original);
    await expect(fs.stat(path.join(home, '.gemini', '.env'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('Claude Code: env block and an apiKeyHelper command, no key on disk', async () => {
    await fs.mkdir(path.join(home, '.claude'));
    await fs.writeFile(path.join(home, '.claude', 'settings.json'), ORIGINALS['claude-code']);
    await connect('claude-code', 'cc');
    const s = JSON.parse(await fs.readFile(path.join(home, '.claude', 'settings.json'), 'utf8'));
    expect(s.model).toBe('opus');
    expect(s.env).toEqual({
      FOO: '1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8484',
      CLAUDE_CODE_API_KEY_HELPER_TTL_MS: '900000',
    });
    expect(s.apiKeyHelper).toBe(
      `/usr/bin/node /opt/shimmy/bin/shimmy.js token --tool cc --ttl 1h --data-dir ${path.join(home, 'data')}`,
    );
    expect(JSON.stringify(s)).not.toContain('shm_');
  });

  it("Codex: a custom responses provider with command-backed auth, the user's providers kept", async () => {
    const file = path.join(home, '.codex', 'config.toml');
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, ORIGINALS.codex);
    await connect('codex');
    const doc = parseToml(await fs.readFile(file, 'utf8')) as {
      model: string;
      model_provider: string;
      model_providers: Record<string, Record<string, unknown>>;
    };
    expect(doc.model).toBe('gpt-5.1-codex');
    expect(doc.model_provider).toBe('shimmy');
    expect(doc.model_providers.other!.base_url).toBe('https://x.example/v1');
    expect(doc.model_providers.shimmy).toMatchObject({
      base_url: 'http://127.0.0.1:8484/v1',
      wire_api: 'responses',
      auth: { command: '/usr/bin/node', args: expect.arrayContaining(['token', '--tool', 'codex']) },
    });
    expect(await fs.readFile(file, 'utf8')).not.toContain('shm_');
  });

  it('Claude Code --plan: keeps the plan login (no key, no helper), names the tool in x-shimmy-token, disconnect restores', async () => {
    const file = path.join(home, '.claude', 'settings.json');
    await fs.mkdir(path.dirname(file));
    const original =
      '{"model":"opus","apiKeyHelper":"old-helper","env":{"ANTHROPIC_API_KEY":"sk-ant-old","ANTHROPIC_CUSTOM_HEADERS":"x-team: a\\nX-Shimmy-Token: shm_stale"}}';
    await fs.writeFile(file, original);
    const { plan } = await agents.plan('claude-code', 'cc-plan', { plan: true });
    expect(plan.diff).not.toContain(TOKEN);
    await agents.commit(plan);
    const s = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(s.env).toEqual({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8484',
      ANTHROPIC_CUSTOM_HEADERS: `x-team: a\nx-shimmy-token: ${TOKEN}`,
    });
    expect(s.apiKeyHelper).toBeUndefined();
    expect(s.model).toBe('opus');
    await agents.disconnect('claude-code');
    expect(await fs.readFile(file, 'utf8')).toBe(original);
  });

  it('Codex --plan: a provider that keeps the ChatGPT login and sends the tool token as a header', async () => {
    const file = path.join(home, '.codex', 'config.toml');
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, ORIGINALS.codex);
    const { plan } = await agents.plan('codex', 'codex-plan', { plan: true });
    await agents.commit(plan);
    const doc = parseToml(await fs.readFile(file, 'utf8')) as {
      model_provider: string;
      model_providers: Record<string, Record<string, unknown>>;
    };
    expect(doc.model_provider).toBe('shimmy');
    expect(doc.model_providers.shimmy).toEqual({
      name: 'Shimmy (plan)',
      base_url: 'http://127.0.0.1:8484/v1',
      wire_api: 'responses',
      requires_openai_auth: true,
      http_headers: { 'x-shimmy-token': TOKEN },
    });
    await agents.disconnect('codex');
    expect(await fs.readFile(file, 'utf8')).toBe(ORIGINALS.codex);
  });

  it('--plan is refused for agents without a plan login, and nothing is minted', async () => {
    await expect(agents.plan('gemini', 'g', { plan: true })).rejects.toThrow(
      /--plan is for claude-code and codex/,
    );
    expect(revoked).toBe(0);
  });

  it('CODEX_HOME, CLAUDE_CONFIG_DIR and XDG_CONFIG_HOME move the files', async () => {
    const other = createAgentService({
      env: { HOME: home, CODEX_HOME: '/x/codex', CLAUDE_CONFIG_DIR: '/x/claude', XDG_CONFIG_HOME: '/x/xdg' },
      dataDir: home,
      baseUrl: () => 'http://127.0.0.1:1',
      mint: async () => ({ token: TOKEN, revoke: async () => undefined }),
    });
    const files = Object.fromEntries((await other.list()).map((a) => [a.id, a.file]));
    expect(files).toMatchObject({
      codex: '/x/codex/config.toml',
      'claude-code': '/x/claude/settings.json',
      opencode: '/x/xdg/opencode/opencode.json',
    });
  });

  it('Gemini .env keeps CRLF and other lines; opencode keeps its options; Continue inserts at the list indent', async () => {
    for (const a of ['gemini', 'opencode', 'continue'] as const) {
      const f = await fileOf(a);
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, ORIGINALS[a]);
      await connect(a);
    }
    expect(await fs.readFile(await fileOf('gemini'), 'utf8')).toBe(
      `FOO=bar\r\nGEMINI_API_KEY=${TOKEN}\r\nGOOGLE_GEMINI_BASE_URL=http://127.0.0.1:8484\r\n`,
    );
    const oc = JSON.parse(await fs.readFile(await fileOf('opencode'), 'utf8'));
    expect(oc.theme).toBe('x');
    expect(oc.provider.anthropic.options).toEqual({
      timeout: 5,
      baseURL: 'http://127.0.0.1:8484/v1',
      apiKey: TOKEN,
    });
    const cont = await fs.readFile(await fileOf('continue'), 'utf8');
    expect(cont).toContain('models:\n    - name: "Shimmy gpt-4o-mini"\n      provider: openai\n');
    expect(cont).toContain('      requestOptions:\n        headers:\n          x-shimmy-agent: continue\n');
    expect(cont).toContain('    - name: Local\n');
  });

  it('a file it cannot parse is left alone, with the reason, and the minted token is revoked', async () => {
    const f = await fileOf('opencode');
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.writeFile(f, '{ not json');
    await expect(agents.plan('opencode', 'opencode')).rejects.toThrow(/not valid JSON/);
    expect(revoked).toBe(1);
    expect(await fs.readFile(f, 'utf8')).toBe('{ not json');
  });
});
