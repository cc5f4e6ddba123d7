// The agents' ids without zod: the CLI lists and checks them before it loads any schema (`--help`
// stays fast, issue 16). shared/agents.ts builds its schemas on this list.
export const AGENT_IDS = ['claude-code', 'codex', 'gemini', 'opencode', 'aider', 'continue'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export const isAgentId = (value: string): value is AgentId =>
  (AGENT_IDS as readonly string[]).includes(value);
