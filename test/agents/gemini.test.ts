// Gemini CLI (@google/gemini-cli, pinned in agent-packages.json) through Shimmy, for real: `gemini -p`
// against the agent mock via `shimmy exec` (GOOGLE_GEMINI_BASE_URL + GEMINI_API_KEY) and via
// `shimmy connect gemini` (~/.gemini/.env). Needs Shimmy's Gemini API family (issue 13 part 2).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_MARKER, STEP_MS, USAGE, WORDS } from './support/agent-upstream.js';
import { agentEnv } from './support/agent-process.js';
import { costOf, expectBudgetRefusal, sumUsd, useAgentHarness } from './support/agent-harness.js';

const a = useAgentHarness();

const MODEL = 'gemini-2.5-flash';
// Per answer of the mock (1,000 input, 50 output tokens), at Google's published prices
// (ai.google.dev/gemini-api/docs/pricing, checked 2026-11): 2.5 Flash $0.30 / $2.50 per 1M,
// 2.5 Flash-Lite (Gemini CLI's side requests) $0.10 / $0.40 per 1M.
const PER_ANSWER: Record<string, number> = {
  [MODEL]: USAGE.input * 0.3e-6 + USAGE.output * 2.5e-6, // 0.0003 + 0.000125 = $0.000425
  'gemini-2.5-flash-lite': USAGE.input * 0.1e-6 + USAGE.output * 0.4e-6, // 0.0001 + 0.00002 = $0.00012
};

const gemini = (prompt: string, ...flags: string[]) => ['gemini', '-m', MODEL, ...flags, '-p', prompt];
const env = () => agentEnv(a.home);

const settingsFile = () => path.join(a.home, '.gemini', 'settings.json');
const settings = () => JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;

describe('Gemini CLI through shimmy exec', () => {
  // With only environment variables Gemini CLI 0.61 refuses to start ("Invalid auth method
  // selected."): the README says to set this once; connect writes it.
  beforeAll(() => {
    fs.writeFileSync(
      settingsFile(),
      JSON.stringify({ ...settings(), security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
  });
  afterAll(() => {
    const { security: _s, ...rest } = settings();
    fs.writeFileSync(settingsFile(), JSON.stringify(rest));
  });

  // One run covers the answer, the tool round trip, streaming, attribution and cost.
  it('does a tool-use round trip (read_file), streams the answer, at the hand-computed cost', async () => {
    await a.h.tool('gemini-exec');
    const before = a.mock.answered.length;
    const run = await a.exec('gemini-exec', env(), gemini(`Please ${READ_MARKER}${a.noteFile}`, '--yolo'));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.toolCall === 'read_file')).toBe(true);
    expect(answered.find((x) => x.toolResult !== undefined)?.toolResult).toContain('tangerine-42');
    expect(run.stdout).toMatch(/Tool said:[\s\S]*tangerine-42/);
    // Incremental: Gemini CLI printed the streamed answer piece by piece, spread over time.
    const parts = run.chunks.filter(([, t]) => /Tool| said:|tangerine/.test(t)).map(([ms]) => ms);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts[parts.length - 1]! - parts[0]!).toBeGreaterThan(STEP_MS);
    expect(answered.some((x) => x.family === 'gemini' && x.stream)).toBe(true);
    for (const x of answered) expect(Object.keys(PER_ANSWER)).toContain(x.model);
    const records = (await a.records('gemini-exec')).filter(
      (r) => r.status === 200 && /:\w*generateContent$/i.test(r.path),
    );
    expect(records.length).toBe(answered.length);
    expect(records.every((r) => r.client?.startsWith('GeminiCLI'))).toBe(true);
    // Priced from the catalog (was unpriced before it), and exactly.
    expect(records.every((r) => r.costUsd !== null && !r.estimated)).toBe(true);
    expect(sumUsd(records)).toBeCloseTo(costOf(answered, PER_ANSWER), 12);
  });

  it("a budget refusal reaches the user with Shimmy's message, without a retry storm", async () => {
    await a.h.tool('gemini-broke', { dailyUsd: 0.000001 });
    const before = a.mock.answered.length;
    const run = await a.exec('gemini-broke', env(), gemini('Say hello'));
    // 429 with the reset as google.rpc.RetryInfo, hours away: a TerminalQuotaError, no retry.
    await expectBudgetRefusal(a, 'gemini-broke', run, 1, before);
  });
});

describe('Gemini CLI through shimmy connect', () => {
  it('connect writes ~/.gemini/.env and the auth type; gemini -p answers with nothing in its env; disconnect restores', async () => {
    const file = path.join(a.home, '.gemini', '.env');
    const originalSettings = fs.readFileSync(settingsFile());
    const connect = await a.connect('gemini', 'gemini-connect', env());
    expect(connect.code, connect.stdout + connect.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^GOOGLE_GEMINI_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);

    const run = await a.run(gemini('Say hello'), env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(WORDS.join(''));
    const records = (await a.records('gemini-connect')).filter(
      (r) => r.status === 200 && /:\w*generateContent$/i.test(r.path),
    );
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.costUsd !== null)).toBe(true);

    const undo = await a.disconnect('gemini', env());
    expect(undo.code).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(settingsFile()).equals(originalSettings)).toBe(true);
  });
});
