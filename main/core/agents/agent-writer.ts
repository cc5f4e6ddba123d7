// What each agent adapter provides: where its config file is and how Shimmy's settings go into it.
import os from 'node:os';
import path from 'node:path';
import type { AgentId } from '../../../shared/agents.js';

export interface ConnectContext {
  /** The instance's base URL, `http://127.0.0.1:8484` (no `/v1`). */
  baseUrl: string;
  tool: string;
  /** argv of a command that prints a fresh short-lived token of the tool (`shimmy token …`). */
  tokenCommand: string[];
  /** A token written into the file by agents that cannot run a command. */
  token: string;
  /** The agent keeps its own subscription-plan login; it names its tool with `token` in the
   *  `x-shimmy-token` header instead of sending a Shimmy token as its key. */
  plan?: boolean;
}

export interface AgentWriter {
  id: AgentId;
  label: string;
  /** helper: the agent runs `tokenCommand` itself; token: `ctx.token` is written into the file. */
  credential: 'helper' | 'token';
  /** The agent's config file for this environment (HOME and the agent's own variables). */
  file(env: NodeJS.ProcessEnv): string;
  /** The file's new text; `current` is null when it does not exist. Throws ConnectError when it cannot parse it. */
  edit(current: string | null, ctx: ConnectContext): string;
  /** Further files the agent needs changed as well (Gemini CLI: its settings.json). */
  also?: Array<{
    file(env: NodeJS.ProcessEnv): string;
    edit(current: string | null, ctx: ConnectContext): string;
  }>;
  /** Can pass its own plan login through (`connect --plan`); the others refuse it. */
  plan?: boolean;
  /** `shimmy exec` line, for agents that read their settings from the environment. */
  exec?: string;
  note?: string;
}

export class ConnectError extends Error {}

/** The header a plan tool names itself with (its own Authorization goes to the plan's host). */
export const PLAN_TOKEN_HEADER = 'x-shimmy-token';

export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

export function xdgConfig(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME || path.join(homeOf(env), '.config');
}

/** A JSON object file, or an empty object when absent or empty; anything else is an error, not overwritten. */
export function parseJsonObject(current: string | null, file: string): Record<string, unknown> {
  if (current === null || current.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(current);
  } catch (err) {
    throw new ConnectError(
      `${file} is not valid JSON (${(err as Error).message}); fix it or move it away first`,
    );
  }
  if (!isRecord(value))
    throw new ConnectError(`${file} does not hold a JSON object; fix it or move it away first`);
  return value;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** POSIX shell quoting for commands agents run through a shell (Claude Code's apiKeyHelper). */
export function shellJoin(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
