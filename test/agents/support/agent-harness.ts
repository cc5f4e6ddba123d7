// One Shimmy core (real HTTP, real keychain, real ledger) in front of the agent mock, for the
// real-agent suite; the agents themselves run as child processes through the compiled CLI.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import {
  ANTHROPIC_TEST_KEY,
  GEMINI_TEST_KEY,
  OPENAI_TEST_KEY,
  startHarness,
  type Harness,
} from '../../support/harness.js';
import { startAgentUpstream, type AgentUpstream, type Answered } from './agent-upstream.js';
import { ensureAgents, makeHome, runAgent, shimmy, type AgentRun } from './agent-process.js';

export interface AgentHarness {
  h: Harness;
  mock: AgentUpstream;
  home: string;
  /** A project folder for the agent to work in, with a file for the tool round trip. */
  workdir: string;
  noteFile: string;
  noteText: string;
  records(tool: string): Promise<LedgerRecord[]>;
  /** Runs argv in the workdir with env. */
  run(argv: string[], env: NodeJS.ProcessEnv): Promise<AgentRun>;
  /** `shimmy exec --tool TOOL -- AGENT…` against this harness's data dir. */
  exec(tool: string, env: NodeJS.ProcessEnv, agent: string[]): Promise<AgentRun>;
  /** `shimmy connect AGENT --tool TOOL --yes` against this harness's data dir. */
  connect(agent: string, tool: string, env: NodeJS.ProcessEnv): Promise<AgentRun>;
  disconnect(agent: string, env: NodeJS.ProcessEnv): Promise<AgentRun>;
  close(): Promise<void>;
}

/** One harness for the file's tests: started before them, closed after. The object is filled in
 *  by the beforeAll, so tests (and helpers they call) can use it as a plain value. */
export function useAgentHarness(): AgentHarness {
  const a = {} as AgentHarness;
  beforeAll(async () => {
    Object.assign(a, await startAgentHarness());
  });
  afterAll(() => a.close?.());
  return a;
}

export async function startAgentHarness(): Promise<AgentHarness> {
  ensureAgents();
  const mock = await startAgentUpstream();
  const h = await startHarness();
  // A key is bound to the base URL its provider had when it was given: repoint, then give it again.
  const pointed = [
    ['openai', `${mock.url}/v1`, OPENAI_TEST_KEY],
    ['anthropic', mock.url, ANTHROPIC_TEST_KEY],
    ['google', mock.url, GEMINI_TEST_KEY],
  ] as const;
  for (const [name, baseUrl, key] of pointed) {
    await h.admin.call('patchProvider', { params: { name }, body: { baseUrl } });
    await h.admin.call('putKey', { body: { provider: name, key } });
  }
  const home = makeHome();
  const workdir = path.join(home, 'project');
  fs.mkdirSync(workdir);
  const noteText = 'The password is tangerine-42.';
  const noteFile = path.join(workdir, 'note.txt');
  fs.writeFileSync(noteFile, `${noteText}\n`);
  const dataDir = ['--data-dir', h.dataDir];
  const run = (argv: string[], env: NodeJS.ProcessEnv) => runAgent(argv, { env, cwd: workdir });
  return {
    h,
    mock,
    home,
    workdir,
    noteFile,
    noteText,
    async records(tool) {
      return (await h.admin.call('listRequests', { query: { tool, limit: '500' } })).records;
    },
    run,
    exec: (tool, env, agent) => run(shimmy('exec', '--tool', tool, ...dataDir, '--', ...agent), env),
    connect: (agent, tool, env) => run(shimmy('connect', agent, '--tool', tool, '--yes', ...dataDir), env),
    disconnect: (agent, env) => run(shimmy('disconnect', agent, ...dataDir), env),
    async close() {
      await h.close();
      await mock.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** What a budget refusal must do to a real agent: it exits by itself (not killed by the test's
 *  timer) with an error, Shimmy's message (naming the tool and its budget) is in what the user
 *  sees, and it asked no more than `attempts` times (one per request it makes, no retries). */
export async function expectBudgetRefusal(
  a: AgentHarness,
  tool: string,
  run: AgentRun,
  attempts: number,
  answeredBefore: number,
): Promise<void> {
  const shown = run.stdout + run.stderr;
  expect(run.code, shown).not.toBeNull();
  expect(run.code, shown).not.toBe(0);
  // (Codex prints the JSON body as it came: its quotes escaped.)
  expect(shown).toMatch(new RegExp(`Tool \\\\?"${tool}\\\\?" is over its daily budget`));
  const refused = (await a.records(tool)).filter((r) => r.errorClass === 'budget');
  expect(refused.length, shown).toBeGreaterThan(0);
  expect(refused.length, shown).toBeLessThanOrEqual(attempts);
  // Nothing reached the provider.
  expect(a.mock.answered.length).toBe(answeredBefore);
}

/** What the mock's answers cost at a hand-computed price per answer, by model. */
export const costOf = (answered: Answered[], perAnswer: Record<string, number>) =>
  answered.reduce((s, x) => s + perAnswer[x.model]!, 0);

/** Sum of costs, exact to 1e-12 (the ledger sums with fixed-point). */
export const sumUsd = (records: LedgerRecord[]) =>
  Math.round(records.reduce((s, r) => s + (r.costUsd ?? 0), 0) * 1e12) / 1e12;
