// Subscription-plan traffic: a tool marked --plan sends its Shimmy token in x-shimmy-token and
// keeps its own plan credential, which goes byte for byte to the plan's official host (a loopback
// stand-in here) and nowhere else; the answer's plan headers become the windows `shimmy plan`
// shows; the record keeps the API-equivalent cost apart from spend; a "stop at N%" limit refuses.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** What an OAuth plan login sends (Claude Code signed in with Pro/Max): never a Shimmy token. */
const PLAN_CREDENTIAL = 'Bearer sk-ant-oat01-plan-credential-ZZZZ-9999';

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A stand-in for api.anthropic.com that answers plan traffic with the plan headers. */
async function startOfficialHost(planHeaders: () => Record<string, string>) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url?.startsWith('/codex/')) return answerCodex(res);
      res.writeHead(200, { 'content-type': 'application/json', ...planHeaders() });
      res.end(
        JSON.stringify({
          id: 'msg_plan',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'text', text: 'on the plan' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: 1000,
            output_tokens: 200,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What the ChatGPT backend answers Codex (a Responses answer) with its plan headers. */
function answerCodex(res: http.ServerResponse) {
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-codex-primary-used-percent': '37.5',
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-after-seconds': '3600',
    'x-codex-secondary-used-percent': '9',
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-at': '1796500000',
  });
  res.end(
    JSON.stringify({
      id: 'resp_plan',
      object: 'response',
      created_at: 1796000000,
      status: 'completed',
      model: 'gpt-5-codex',
      output: [
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'codex on the plan', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 2000,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 100,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 2100,
      },
    }),
  );
}

let h: Harness;
let official: Awaited<ReturnType<typeof startOfficialHost>>;
let fiveHour = 0.43;
let token: string;
/** The HOME `shimmy connect` writes agent configs into. */
let home: string;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-plan-home-'));
  official = await startOfficialHost(() => ({
    'anthropic-ratelimit-unified-status': 'allowed',
    'anthropic-ratelimit-unified-5h-utilization': String(fiveHour),
    'anthropic-ratelimit-unified-5h-reset': '1796000000',
    'anthropic-ratelimit-unified-7d-utilization': '0.12',
    'anthropic-ratelimit-unified-7d-reset': '1796500000',
  }));
  const keychainService = `ShimmyTest-${randomBytes(6).toString('hex')}`;
  h = await startHarness({
    keychainService,
    core: {
      env: {
        ...process.env,
        HOME: home,
        CLAUDE_CONFIG_DIR: '',
        SHIMMY_KEYCHAIN_SERVICE: keychainService,
        SHIMMY_PRICE_REFRESH: 'off',
      },
    },
  });
  await h.admin.call('patchSettings', {
    body: { planHosts: { anthropic: official.url, openai: `${official.url}/codex` } },
  });
  token = (
    await h.admin.call('createTool', {
      body: { name: 'claude-plan', limits: { dailyUsd: 0.001 }, plan: true },
    })
  ).token;
});
afterAll(async () => {
  await h.close();
  await official.close();
  await fs.rm(home, { recursive: true, force: true });
});

const client = () =>
  new Anthropic({
    baseURL: h.core.url,
    authToken: PLAN_CREDENTIAL.slice('Bearer '.length),
    apiKey: null,
    defaultHeaders: { 'x-shimmy-token': token },
    maxRetries: 0,
  });
const ask = () =>
  client().messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hi' }],
  });

describe('plan pass-through', () => {
  it('forwards the plan credential unchanged to the official host only, with no Shimmy key', async () => {
    const before = h.upstream.received.length;
    const msg = await ask();
    expect(msg.content).toEqual([{ type: 'text', text: 'on the plan' }]);
    const got = official.seen.at(-1)!;
    expect(got.url).toBe('/v1/messages');
    expect(got.headers.authorization).toBe(PLAN_CREDENTIAL);
    expect(got.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(got.headers)).not.toContain(token);
    // The configured Anthropic provider (the harness's fake upstream) saw nothing.
    expect(h.upstream.received.length).toBe(before);
  });

  it('records the API-equivalent cost apart, and a $0.001 budget does not stop plan traffic', async () => {
    await ask();
    const rec = (await h.records('claude-plan'))[0]!;
    expect(rec.plan).toBe(true);
    expect(rec.costUsd).toBe(0);
    // claude-sonnet-4-5 at $3 / $15 per 1M tokens (anthropic.com/pricing, checked 2026-11-27):
    // 1000 × 3e-6 + 200 × 15e-6 = 0.003 + 0.003 = $0.006
    expect(rec.apiEquivalentUsd).toBeCloseTo(0.006, 10);
    expect(rec.usage.inputTokens).toBe(1000);
  });

  it('shows the windows from the plan headers (shimmy plan --json shape)', async () => {
    const view = await h.admin.call('plans');
    expect(view.windows.map(({ seenAt: _s, ...w }) => w)).toEqual([
      {
        provider: 'anthropic',
        window: '5h',
        usedPercent: 43,
        resetsAt: new Date(1796000000 * 1000).toISOString(),
        status: 'allowed',
      },
      {
        provider: 'anthropic',
        window: '7d',
        usedPercent: 12,
        resetsAt: new Date(1796500000 * 1000).toISOString(),
        status: 'allowed',
      },
    ]);
    const week = view.week.find((r) => r.provider === 'anthropic')!;
    expect(week.requests).toBeGreaterThanOrEqual(2);
  });

  it('refuses a route that would send the plan credential to another provider', async () => {
    await h.admin.call('addRoute', { body: { pattern: 'claude-elsewhere', target: 'openai/gpt-4o-mini' } });
    const before = official.seen.length;
    const elsewhere = client().messages.create({
      model: 'claude-elsewhere',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(elsewhere).rejects.toMatchObject({ status: 400 });
    expect(official.seen.length).toBe(before);
    expect(h.upstream.received.some((r) => JSON.stringify(r.headers).includes('plan-credential'))).toBe(
      false,
    );
  });

  it('stops at N% of the 5-hour window with the reset time, in the client’s format', async () => {
    await h.admin.call('patchTool', {
      params: { name: 'claude-plan' },
      body: { limits: { planMaxPercent5h: 80 } },
    });
    fiveHour = 0.85;
    await ask(); // this answer reports 85%
    const before = official.seen.length;
    const err = (await ask().catch((e: unknown) => e)) as {
      status: number;
      error: { error: { type: string; message: string } };
    };
    expect(err.status).toBe(429);
    expect(err.error.error.type).toBe('rate_limit_error');
    expect(err.error.error.message).toContain('80%');
    expect(err.error.error.message).toContain(new Date(1796000000 * 1000).toISOString());
    expect(official.seen.length).toBe(before);
  });

  it('never persists or logs the plan credential', async () => {
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) files.push(p);
      }
    };
    await new Promise((r) => setTimeout(r, 300));
    await walk(h.dataDir);
    for (const f of files) {
      const text = await fs.readFile(f);
      expect(text.includes('plan-credential-ZZZZ'), f).toBe(false);
      expect(text.includes(Buffer.from('plan-credential-ZZZZ').toString('base64')), f).toBe(false);
    }
    expect(JSON.stringify(h.logs)).not.toContain('plan-credential-ZZZZ');
  });
});

describe('connect claude-code --plan', () => {
  it('writes a config whose header and base URL carry plan traffic through Shimmy; disconnect removes it', async () => {
    await h.tool('not-plan');
    await h.admin.call('createTool', { body: { name: 'cc-plan', limits: {}, plan: true } });
    await expect(
      h.admin.call('connectAgent', {
        params: { agent: 'claude-code' },
        body: { tool: 'not-plan', plan: true },
      }),
    ).rejects.toThrow(/does not use its own plan login/);

    const r = await h.admin.call('connectAgent', {
      params: { agent: 'claude-code' },
      body: { tool: 'cc-plan', plan: true },
    });
    expect(r.written).toBe(true);
    const file = path.join(home, '.claude', 'settings.json');
    const env = JSON.parse(await fs.readFile(file, 'utf8')).env as Record<string, string>;
    // Claude Code sends ANTHROPIC_CUSTOM_HEADERS lines as headers, with its own OAuth bearer.
    const headers = Object.fromEntries(
      env
        .ANTHROPIC_CUSTOM_HEADERS!.split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    );
    expect(Object.keys(headers)).toEqual(['x-shimmy-token']);
    const asAgent = new Anthropic({
      baseURL: env.ANTHROPIC_BASE_URL,
      authToken: PLAN_CREDENTIAL.slice('Bearer '.length),
      apiKey: null,
      defaultHeaders: headers,
      maxRetries: 0,
    });
    const before = official.seen.length;
    const msg = await asAgent.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'on the plan' }]);
    expect(official.seen.length).toBe(before + 1);
    expect(official.seen.at(-1)!.headers.authorization).toBe(PLAN_CREDENTIAL);
    const rec = (await h.records('cc-plan'))[0]!;
    expect(rec.plan).toBe(true);

    expect((await h.admin.call('disconnectAgent', { params: { agent: 'claude-code' } })).action).toBe(
      'removed',
    );
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('Codex on a ChatGPT plan', () => {
  it('goes to the ChatGPT backend with its own login, and its x-codex headers become the openai windows', async () => {
    const codexToken = (
      await h.admin.call('createTool', {
        body: { name: 'codex-plan', limits: { dailyUsd: 0.001 }, plan: true },
      })
    ).token;
    // What `shimmy connect codex --plan` writes: base_url …/v1, requires_openai_auth (Codex sends
    // its ChatGPT bearer and account id), http_headers with the tool token.
    const codex = new OpenAI({
      baseURL: `${h.core.url}/v1`,
      apiKey: 'chatgpt-oauth-access-token-QQQQ',
      defaultHeaders: { 'x-shimmy-token': codexToken, 'chatgpt-account-id': 'acct-1' },
      maxRetries: 0,
    });
    const r = await codex.responses.create({ model: 'gpt-5-codex', input: 'hi' });
    expect(r.output_text).toBe('codex on the plan');
    const got = official.seen.at(-1)!;
    expect(got.url).toBe('/codex/responses');
    expect(got.headers.authorization).toBe('Bearer chatgpt-oauth-access-token-QQQQ');
    expect(got.headers['chatgpt-account-id']).toBe('acct-1');
    expect(JSON.stringify(got.headers)).not.toContain(codexToken);

    const windows = (await h.admin.call('plans')).windows.filter((w) => w.provider === 'openai');
    expect(windows.map((w) => [w.window, w.usedPercent])).toEqual([
      ['5h', 37.5],
      ['7d', 9],
    ]);
    expect(windows[1]!.resetsAt).toBe(new Date(1796500000 * 1000).toISOString());
    const rec = (await h.records('codex-plan'))[0]!;
    expect(rec.plan).toBe(true);
    expect(rec.costUsd).toBe(0);
    // gpt-5-codex at $1.25 in / $10 out per 1M (openai.com/api/pricing, checked 2026-11-27):
    // 2000 × 1.25e-6 + 100 × 10e-6 = 0.0025 + 0.001 = $0.0035
    expect(rec.apiEquivalentUsd).toBeCloseTo(0.0035, 10);
  });
});
