// One Shimmy core (real HTTP, real keychain, real ledger) in front of the agent mock, for the
// real-agent suite; the agents themselves run as child processes through the compiled CLI.
import fs from 'node:fs';
import path from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger.js';
import {
  ANTHROPIC_TEST_KEY,
  GEMINI_TEST_KEY,
  OPENAI_TEST_KEY,
  startHarness,
  type Harness,
} from '../../support/harness.js';
import { startAgentUpstream, type AgentUpstream } from './agent-upstream.js';
import { ensureAgents, makeHome } from './agent-process.js';

export interface AgentHarness {
  h: Harness;
  mock: AgentUpstream;
  home: string;
  /** A project folder for the agent to work in, with a file for the tool round trip. */
  workdir: string;
  noteFile: string;
  noteText: string;
  records(tool: string): Promise<LedgerRecord[]>;
  close(): Promise<void>;
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
    async close() {
      await h.close();
      await mock.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Sum of costs, exact to 1e-12 (the ledger sums with fixed-point). */
export const sumUsd = (records: LedgerRecord[]) =>
  Math.round(records.reduce((s, r) => s + (r.costUsd ?? 0), 0) * 1e12) / 1e12;
