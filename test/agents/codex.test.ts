// Codex CLI (@openai/codex, pinned in agent-packages.json) through Shimmy, for real: `codex exec`
// against the agent mock, via `shimmy exec` (a Shimmy provider given with -c) and via
// `shimmy connect` (a provider in config.toml whose auth command is `shimmy token`).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_MARKER, STEP_MS, USAGE, WORDS } from './support/agent-upstream.js';
import { agentEnv } from './support/agent-process.js';
import { expectBudgetRefusal, sumUsd, useAgentHarness } from './support/agent-harness.js';

const a = useAgentHarness();

const MODEL = 'gpt-5-mini';
// Per answer of the mock (1,000 input, 50 output tokens), at OpenAI's published price for
// gpt-5-mini (openai.com/api/pricing, checked 2026-11): $0.25 input / $2.00 output per 1M.
const PER_ANSWER = USAGE.input * 0.25e-6 + USAGE.output * 2e-6; // 0.00025 + 0.0001 = $0.00035

// No analytics, no update check; the workdir is not a git repo.
const codex = (prompt: string, ...flags: string[]) => [
  'codex',
  'exec',
  '-c',
  'analytics.enabled=false',
  '-c',
  'check_for_update_on_startup=false',
  '--skip-git-repo-check',
  '-m',
  MODEL,
  ...flags,
  prompt,
];
const env = () => agentEnv(a.home);

describe('Codex CLI through shimmy exec', () => {
  // One run covers the answer, the tool round trip, streaming, attribution and cost.
  it('does a tool-use round trip (its shell tool reads a file) over streamed Responses calls, at the hand-computed cost', async () => {
    await a.h.tool('codex-exec');
    const before = a.mock.answered.length;
    const run = await a.exec(
      'codex-exec',
      env(),
      codex(`Please ${READ_MARKER}${a.noteFile}`, '--dangerously-bypass-approvals-and-sandbox'),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.toolCall)).toBe(true);
    expect(answered.find((x) => x.toolResult !== undefined)?.toolResult).toContain(a.noteText);
    expect(run.stdout).toMatch(/Tool said:[\s\S]*tangerine-42/);
    expect(answered.every((x) => x.family === 'responses' && x.stream)).toBe(true);
    const records = (await a.records('codex-exec')).filter(
      (r) => r.status === 200 && r.path === '/v1/responses',
    );
    expect(records.length).toBe(answered.length);
    // Streamed through, not buffered: the first byte came well before the end of the answer.
    for (const r of records) {
      expect(r.streamed).toBe(true);
      expect(r.ttfbMs!).toBeLessThan(r.latencyMs - 2 * STEP_MS);
    }
    expect(records.every((r) => r.client?.startsWith('codex_exec/') && r.session)).toBe(true);
    // Codex closes each connection as soon as response.completed arrives: still metered in full.
    expect(records.every((r) => !r.estimated)).toBe(true);
    expect(sumUsd(records)).toBeCloseTo(answered.length * PER_ANSWER, 12);
  });

  it("a budget refusal reaches the user with Shimmy's message, without a retry storm", async () => {
    await a.h.tool('codex-broke', { dailyUsd: 0.000001 });
    const before = a.mock.answered.length;
    const run = await a.exec('codex-broke', env(), codex('Say hello'));
    // Codex gets a 400 (refusal-audience.ts): it prints the body and does not retry.
    await expectBudgetRefusal(a, 'codex-broke', run, 1, before);
    expect(run.stdout + run.stderr).not.toMatch(/Quota exceeded|Reconnecting/);
  });
});

describe('Codex CLI through shimmy connect', () => {
  it('connect writes a provider whose auth command mints tokens; codex exec answers; disconnect restores', async () => {
    const config = path.join(a.home, '.codex', 'config.toml');
    fs.mkdirSync(path.dirname(config), { recursive: true });
    const original = '# mine\nmodel = "gpt-5-mini"\n';
    fs.writeFileSync(config, original);
    const connect = await a.connect('codex', 'codex-connect', env());
    expect(connect.code, connect.stdout + connect.stderr).toBe(0);
    expect(fs.readFileSync(config, 'utf8')).not.toContain('shm_');

    const before = a.mock.answered.length;
    const run = await a.run(codex('Say hello'), env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(WORDS.join(''));
    // Codex also lists models (GET /v1/models) through the provider: count the answers only.
    const records = (await a.records('codex-connect')).filter(
      (r) => r.status === 200 && r.path === '/v1/responses',
    );
    expect(records.length).toBe(a.mock.answered.length - before);
    expect(records.length).toBeGreaterThan(0);
    expect(sumUsd(records)).toBeCloseTo(records.length * PER_ANSWER, 12);

    const undo = await a.disconnect('codex', env());
    expect(undo.code).toBe(0);
    expect(fs.readFileSync(config, 'utf8')).toBe(original);
  });
});
