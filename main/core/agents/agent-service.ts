// Connect/disconnect/list for the CLI and the admin API alike: they differ only in how a token is
// minted (admin client vs config store) and where the backups go (the data dir either way).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentId, AgentView, ConnectResult, DisconnectResult } from '../../../shared/agents.js';
import { ConnectError, type ConnectContext } from './agent-writer.js';
import { agentWriters } from './agent-writers.js';
import { commitConnect, disconnect, planConnect, readBackup, type ConnectPlan } from './agent-connection.js';
import { HELPER_TOKEN_TTL } from './claude-code-writer.js';

export interface AgentServiceDeps {
  /** HOME and the agents' own variables (CODEX_HOME, CLAUDE_CONFIG_DIR, XDG_CONFIG_HOME). */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  baseUrl: () => string;
  /** A token of the tool that expires after ttlSeconds, labelled so it can be told apart. */
  mint: (tool: string, ttlSeconds: number, label: string) => Promise<MintedToken>;
  /** argv that runs the Shimmy CLI (default: this Node and bin/shimmy.js). */
  shimmyArgv?: string[];
}

export interface MintedToken {
  token: string;
  revoke: () => Promise<void>;
}

export const PLACEHOLDER_TOKEN = 'shm_…';
export const DEFAULT_CONNECT_TTL_SECONDS = 30 * 86_400;

/** bin/shimmy.js of this installation, found from this module (src and dist sit at different depths). */
export function shimmyBin(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'bin', 'shimmy.js');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return 'shimmy';
}

export function createAgentService(deps: AgentServiceDeps) {
  const backupDir = path.join(deps.dataDir, 'agent-backups');
  const argv = deps.shimmyArgv ?? [process.execPath, shimmyBin()];
  const context = (tool: string, token: string, plan?: boolean): ConnectContext => ({
    baseUrl: deps.baseUrl(),
    tool,
    tokenCommand: [...argv, 'token', '--tool', tool, '--ttl', HELPER_TOKEN_TTL, '--data-dir', deps.dataDir],
    token,
    ...(plan ? { plan: true } : {}),
  });

  return {
    async list(tool?: string): Promise<AgentView[]> {
      return Promise.all(
        Object.values(agentWriters).map(async (w) => ({
          id: w.id,
          label: w.label,
          file: w.file(deps.env),
          connected: (await readBackup(backupDir, w.id)) !== null,
          credential: w.credential,
          snippet: w.edit(null, context(tool ?? w.id, PLACEHOLDER_TOKEN)),
          ...(w.exec ? { exec: tool ? w.exec.replace(/--tool \S+/, `--tool ${tool}`) : w.exec } : {}),
          ...(w.note ? { note: w.note } : {}),
        })),
      );
    },

    /** The change connect would make. Agents that keep a token in their file get a fresh one, unless
     *  `dryRun`; `discard` revokes it when the change is not written after all. */
    async plan(
      agent: AgentId,
      tool: string,
      opts: { ttlSeconds?: number; dryRun?: boolean; plan?: boolean } = {},
    ): Promise<{ plan: ConnectPlan; discard: () => Promise<void> }> {
      const w = agentWriters[agent];
      if (opts.plan && !w.plan)
        throw new ConnectError(
          `${w.label} has no subscription-plan login Shimmy can pass through; --plan is for claude-code and codex`,
        );
      // A plan login's header cannot run a command, so the token is written into the file.
      const minted =
        (w.credential === 'token' || opts.plan) && !opts.dryRun
          ? await deps.mint(tool, opts.ttlSeconds ?? DEFAULT_CONNECT_TTL_SECONDS, `connect-${agent}`)
          : { token: PLACEHOLDER_TOKEN, revoke: async () => undefined };
      try {
        return {
          plan: await planConnect(w, deps.env, context(tool, minted.token, opts.plan), backupDir),
          discard: minted.revoke,
        };
      } catch (err) {
        await minted.revoke();
        throw err;
      }
    },

    commit: (plan: ConnectPlan): Promise<ConnectResult> => commitConnect(plan, backupDir),

    disconnect: (agent: AgentId): Promise<DisconnectResult> =>
      disconnect(agent, agentWriters[agent].file(deps.env), backupDir),
  };
}
export type AgentService = ReturnType<typeof createAgentService>;
