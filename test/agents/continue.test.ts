// Continue's CLI (@continuedev/cli, `cn`, pinned in agent-packages.json) through Shimmy, for real:
// `shimmy connect continue` writes ~/.continue/config.yaml (the file the editor extensions read
// too), and `cn -p` answers from the agent mock with nothing in its environment. Continue reads
// no base-URL variables, so `shimmy exec` has nothing to set for it: connect is the way.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { READ_MARKER, STEP_MS, USAGE } from './support/agent-upstream.js';
import { agentEnv } from './support/agent-process.js';
import { expectBudgetRefusal, sumUsd, useAgentHarness } from './support/agent-harness.js';

const a = useAgentHarness();

// The first model `connect continue` writes, which cn uses.
const MODEL = 'gpt-4o-mini';
// Per answer of the mock (1,000 input, 50 output tokens), at OpenAI's published price for
// gpt-4o-mini (openai.com/api/pricing, checked 2026-11): $0.15 input / $0.60 output per 1M.
const PER_ANSWER = USAGE.input * 0.15e-6 + USAGE.output * 0.6e-6; // 0.00015 + 0.00003 = $0.00018

// cn checks api.continue.dev for a newer version at every start (and would `npm install -g` it);
// NODE_ENV=test is its only switch for that. Its OpenTelemetry metrics are off unless an OTLP
// endpoint is set.
const env = () => agentEnv(a.home, { NODE_ENV: 'test', CONTINUE_CLI_ENABLE_TELEMETRY: '0' });
const cn = (...args: string[]) => ['cn', '-p', ...args];
const configFile = () => path.join(a.home, '.continue', 'config.yaml');

describe('Continue CLI through shimmy connect', () => {
  it('connect writes config.yaml; cn does a tool-use round trip (Read) over streamed calls at the hand-computed cost; disconnect restores', async () => {
    const connect = await a.connect('continue', 'cn-connect', env());
    expect(connect.code, connect.stdout + connect.stderr).toBe(0);
    expect(fs.readFileSync(configFile(), 'utf8')).toContain(`model: ${MODEL}`);

    const before = a.mock.answered.length;
    const run = await a.run(cn('--allow', 'Read', `Please ${READ_MARKER}${a.noteFile}`), env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const answered = a.mock.answered.slice(before);
    expect(answered.some((x) => x.toolCall === 'Read')).toBe(true);
    expect(answered.find((x) => x.toolResult !== undefined)?.toolResult).toContain('tangerine-42');
    expect(run.stdout).toMatch(/Tool said:[\s\S]*tangerine-42/);
    expect(answered.every((x) => x.family === 'chat' && x.stream && x.model === MODEL)).toBe(true);

    const records = (await a.records('cn-connect')).filter(
      (r) => r.status === 200 && r.path === '/v1/chat/completions',
    );
    expect(records.length).toBe(answered.length);
    // Streamed through, not buffered: the first byte came well before the end of each answer.
    for (const r of records) {
      expect(r.streamed).toBe(true);
      expect(r.ttfbMs!).toBeLessThan(r.latencyMs - 2 * STEP_MS);
    }
    expect(sumUsd(records)).toBeCloseTo(answered.length * PER_ANSWER, 12);

    const undo = await a.disconnect('continue', env());
    expect(undo.code).toBe(0);
    expect(fs.existsSync(configFile())).toBe(false);
  });

  it("a budget refusal reaches the user with Shimmy's message, without a retry storm", async () => {
    await a.h.tool('cn-broke', { dailyUsd: 0.000001 });
    const connect = await a.connect('continue', 'cn-broke', env());
    expect(connect.code, connect.stdout + connect.stderr).toBe(0);
    const before = a.mock.answered.length;
    try {
      const run = await a.run(cn('Say hello'), env());
      // cn retries a 429 ten times whatever its headers say; the header connect wrote gets it a 402.
      await expectBudgetRefusal(a, 'cn-broke', run, 1, before);
    } finally {
      await a.disconnect('continue', env());
    }
  });
});
