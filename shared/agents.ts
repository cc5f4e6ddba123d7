// Coding agents Shimmy can wire itself into (`shimmy connect`, the dashboard's Tools page).
import { z } from 'zod';
import { AGENT_IDS } from './agent-ids.js';

export { AGENT_IDS };
export const AgentIdSchema = z.enum(AGENT_IDS);
export type AgentId = z.infer<typeof AgentIdSchema>;

export const AgentViewSchema = z.object({
  id: AgentIdSchema,
  label: z.string(),
  /** The agent's own config file that `connect` edits. */
  file: z.string(),
  /** A Shimmy backup of that file exists: the agent is connected and `disconnect` can restore it. */
  connected: z.boolean(),
  /** How the agent gets its token: a command it re-runs for short-lived ones, or one written into the file. */
  credential: z.enum(['helper', 'token']),
  /** What to paste by hand instead (no secret in it: `shm_…` stands for a token). */
  snippet: z.string(),
  /** The `shimmy exec` line for agents that read their settings from the environment; absent if none. */
  exec: z.string().optional(),
  /** What to know about this agent (its own limits). */
  note: z.string().optional(),
});
export type AgentView = z.infer<typeof AgentViewSchema>;

export const ConnectAgentSchema = z.object({
  tool: z.string().min(1).optional(),
  /** Only compute the change and its diff; write nothing. */
  dryRun: z.boolean().optional(),
  /** claude-code, codex: keep the agent's own plan login (the tool must be a plan tool). */
  plan: z.boolean().optional(),
});

export const ConnectResultSchema = z.object({
  agent: AgentIdSchema,
  tool: z.string(),
  file: z.string(),
  /** Unified diff of the file, before → after (tokens masked). Empty if nothing changes. */
  diff: z.string(),
  written: z.boolean(),
  /** Where the original was kept; absent when the file did not exist before. */
  backup: z.string().optional(),
});
export type ConnectResult = z.infer<typeof ConnectResultSchema>;

export const DisconnectResultSchema = z.object({
  agent: AgentIdSchema,
  file: z.string(),
  /** restored: original bytes back; removed: the file did not exist before connect. */
  action: z.enum(['restored', 'removed', 'not-connected']),
  /** The user edited the file after connect: their version was kept at this path. */
  keptCopy: z.string().optional(),
});
export type DisconnectResult = z.infer<typeof DisconnectResultSchema>;
