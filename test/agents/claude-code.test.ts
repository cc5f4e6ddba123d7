// Claude Code (@anthropic-ai/claude-code, pinned in agent-packages.json) through Shimmy, for real:
// `claude -p` against the agent mock, via `shimmy exec` and via `shimmy connect` (apiKeyHelper).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_MARKER, STEP_MS, USAGE } from './support/agent-upstream.js';
import { agentEnv } from './support/agent-process.js';
import { costOf, expectBudgetRefusal, sumUsd, useAgentHarness } from './support/agent-harness.js';

const a = useAgentHarness();

const MODEL = 'claude-sonnet-4-5';
// Claude Code also sends side requests (titles, quota checks) to its small model: pin it to one we price.
const SMALL = 'claude-haiku-4-5';
// Per answer of the mock (1,000 input, 50 output tokens), at Anthropic's published prices
// (anthropic.com/pricing, checked 2026-11): Sonnet 4.5 $3 / $15 per 1M, Haiku 4.5 $1 / $5 per 1M.
const PER_ANSWER: Record<string, number> = {
  [MODEL]: USAGE.input * 3e-6 + USAGE.output * 15e-6, // 0.003 + 0.00075 = $0.00375
  [SMALL]: USAGE.input * 1e-6 + USAGE.output * 5e-6, // 0.001 + 0.00025 = $0.00125
};

const env = (extra: Record<string, string> = {}) =>
  agentEnv(a.home, { ANTHROPIC_DEFAULT_HAIKU_MODEL: SMALL, ANTHROPIC_SMALL_FAST_MODEL: SMALL, ...extra });
const claude = (...args: string[]) => ['claude', '-p', '--model', MODEL, ...args];

describe('Claude Code through shimmy exec', () => {
  // One run covers the answer, the tool round trip, streaming, attribution and cost: each agent
  // start costs seconds of CPU on a 2-core CI machine.
  it('does a tool-use round trip (Read), streams the answer incrementally, and records the hand-computed cost', async () => {
    await a.h.tool('cc-exec');
    const before = a.mock.answered.length;
    const run = await a.exec(
      'cc-exec',
      env(),
      claude(
        '--output-format',
        'stream-json',
        '--verbose',
        '--include-partial-messages',
        `Please ${READ_MARKER}${a.noteFile}`,
        // (Last: the flag takes every argument after it.)
        '--allowedTools',
        'Read',
      ),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.toolCall === 'Read')).toBe(true);
    expect(answered.find((x) => x.toolResult !== undefined)?.toolResult).toContain(a.noteText);
    const events = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type?: string; result?: string });
    expect(events.find((e) => e.type === 'result')?.result).toMatch(/^Tool said:.*tangerine-42/s);
    // Incremental: the final answer's text deltas reached Claude Code's output one by one, spread over time.
    const deltaTimes = run.chunks.filter(([, t]) => t.includes('text_delta')).map(([ms]) => ms);
    expect(deltaTimes.length).toBeGreaterThanOrEqual(3);
    expect(deltaTimes[deltaTimes.length - 1]! - deltaTimes[0]!).toBeGreaterThan(STEP_MS);

    expect(answered.every((x) => x.headers['user-agent']?.startsWith('claude-cli/'))).toBe(true);
    const records = (await a.records('cc-exec')).filter((r) => r.status === 200 && r.path === '/v1/messages');
    expect(records.length).toBe(answered.length);
    expect(records.some((r) => r.streamed)).toBe(true);
    expect(records.every((r) => r.costUsd !== null)).toBe(true);
    // Recorded per session and client.
    expect(records.every((r) => r.client?.startsWith('claude-cli/') && r.session)).toBe(true);
    expect(sumUsd(records)).toBeCloseTo(costOf(answered, PER_ANSWER), 12);
  });

  it("a budget refusal reaches the user with Shimmy's message, and Claude Code does not retry it", async () => {
    await a.h.tool('cc-broke', { dailyUsd: 0.000001 });
    const before = a.mock.answered.length;
    const run = await a.exec('cc-broke', env(), claude('Say hello'));
    // One request (429 with x-should-retry: false), shown as "API Error: Request rejected (429) · Tool …".
    await expectBudgetRefusal(a, 'cc-broke', run, 1, before);
  });
});

describe('Claude Code through shimmy connect', () => {
  it('connect writes settings.json with an apiKeyHelper; claude -p answers with no key in its env; disconnect restores', async () => {
    const settings = path.join(a.home, '.claude', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    const original = '{\n  "theme": "dark"\n}\n';
    fs.writeFileSync(settings, original);
    const connect = await a.connect('claude-code', 'cc-connect', agentEnv(a.home));
    expect(connect.stderr + connect.stdout).toContain('Created tool "cc-connect"');
    expect(connect.code).toBe(0);
    const written = JSON.parse(fs.readFileSync(settings, 'utf8'));
    expect(written.apiKeyHelper).toContain('token --tool cc-connect');
    expect(fs.readFileSync(settings, 'utf8')).not.toContain('shm_');

    const before = a.mock.answered.length;
    const run = await a.run(claude('Say hello'), env());
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('Hello from the agent mock.');
    expect(a.mock.answered.length).toBeGreaterThan(before);
    const answered = a.mock.answered.slice(before);
    const records = (await a.records('cc-connect')).filter(
      (r) => r.status === 200 && r.path === '/v1/messages',
    );
    expect(records.length).toBe(answered.length);
    expect(sumUsd(records)).toBeCloseTo(costOf(answered, PER_ANSWER), 12);

    const undo = await a.disconnect('claude-code', agentEnv(a.home));
    expect(undo.code).toBe(0);
    expect(fs.readFileSync(settings, 'utf8')).toBe(original);
  });
});
