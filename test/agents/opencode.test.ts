// opencode (opencode-ai, pinned in agent-packages.json) through Shimmy, for real: `opencode run`
// against the agent mock, via `shimmy exec` (OPENAI_BASE_URL / ANTHROPIC_BASE_URL, which its
// bundled AI SDK providers read) and via `shimmy connect opencode` (provider options in opencode.json).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_MARKER, STEP_MS, USAGE, WORDS } from './support/agent-upstream.js';
import { agentEnv } from './support/agent-process.js';
import { costOf, expectBudgetRefusal, sumUsd, useAgentHarness } from './support/agent-harness.js';

const a = useAgentHarness();

const MODEL = 'gpt-5-mini';
// Per answer of the mock (1,000 input, 50 output tokens), at published prices (checked 2026-11):
// gpt-5-mini $0.25 / $2.00 per 1M (openai.com/api/pricing); claude-sonnet-4-5 $3 / $15 per 1M
// (anthropic.com/pricing).
const PER_ANSWER: Record<string, number> = {
  [MODEL]: USAGE.input * 0.25e-6 + USAGE.output * 2e-6, // $0.00035
  'claude-sonnet-4-5': USAGE.input * 3e-6 + USAGE.output * 15e-6, // $0.00375
};

// Its title requests go to the small model: the same one, so every answer is priced as above.
const env = () =>
  agentEnv(a.home, {
    OPENCODE_CONFIG_CONTENT: JSON.stringify({
      small_model: `openai/${MODEL}`,
      share: 'disabled',
      autoupdate: false,
    }),
  });
const opencode = (model: string, prompt: string) => ['opencode', 'run', '-m', model, prompt];

describe('opencode through shimmy exec', () => {
  // One run covers the answer, the tool round trip, streaming, attribution and cost: opencode
  // takes half a minute to start on a busy CI machine.
  it('does a tool-use round trip (read) over streamed Responses calls, at the hand-computed cost', async () => {
    await a.h.tool('oc-exec');
    const before = a.mock.answered.length;
    const run = await a.exec(
      'oc-exec',
      env(),
      opencode(`openai/${MODEL}`, `Please ${READ_MARKER}${a.noteFile}`),
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.toolCall === 'read')).toBe(true);
    expect(answered.find((x) => x.toolResult !== undefined)?.toolResult).toContain('tangerine-42');
    expect(run.stdout).toContain('tangerine-42');
    expect(answered.every((x) => x.stream)).toBe(true);
    const records = (await a.records('oc-exec')).filter((r) => r.status === 200);
    expect(records.length).toBe(answered.length);
    expect(
      records.every((r) => r.streamed && r.client?.startsWith('opencode/') && r.session?.startsWith('ses_')),
    ).toBe(true);
    // Streamed through, not buffered: the first byte came well before the end of each answer.
    for (const r of records) expect(r.ttfbMs!).toBeLessThan(r.latencyMs - 2 * STEP_MS);
    expect(sumUsd(records)).toBeCloseTo(costOf(answered, PER_ANSWER), 12);
  });

  it("a budget refusal reaches the user with Shimmy's message, without a retry storm", async () => {
    await a.h.tool('oc-broke', { dailyUsd: 0.000001 });
    const before = a.mock.answered.length;
    const run = await a.exec('oc-broke', env(), opencode(`openai/${MODEL}`, 'Say hello'));
    // A 402 for the AI SDK (refusal-audience.ts): its title request and its answer, once each.
    await expectBudgetRefusal(a, 'oc-broke', run, 2, before);
  });
});

describe('opencode through shimmy connect', () => {
  it('connect points its providers at Shimmy; an Anthropic model answers over {baseURL}/messages with nothing in its env; disconnect removes the file', async () => {
    const file = path.join(a.home, '.config', 'opencode', 'opencode.json');
    const connect = await a.connect('opencode', 'oc-connect', env());
    expect(connect.code, connect.stdout + connect.stderr).toBe(0);
    const before = a.mock.answered.length;
    const run = await a.run(opencode('anthropic/claude-sonnet-4-5', 'Say hello'), env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(WORDS.join(''));
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.family === 'anthropic')).toBe(true);
    const records = (await a.records('oc-connect')).filter((r) => r.status === 200);
    expect(records.length).toBe(answered.length);
    expect(records.some((r) => r.path === '/v1/messages')).toBe(true);
    expect(sumUsd(records)).toBeCloseTo(costOf(answered, PER_ANSWER), 12);

    const undo = await a.disconnect('opencode', env());
    expect(undo.code).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
  });
});
