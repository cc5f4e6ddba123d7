// What `shimmy --help` lists, without loading a command's module: `--help` loaded all ~20 command
// files (and what they import) to print one table, ~100 ms of a CLI start-up issue 16 caps at
// 150 ms. Each row is a top-level command's term (name, `[options]`, arguments) and description,
// as its register function in commands/ gives them; test/unit/cli/help-table.test.ts checks the
// light help against the one commander builds from the real commands, so the two cannot drift.
import { DEFAULT_PORT } from '../core/config/data-dir.js';

export const HELP_TABLE: ReadonlyArray<readonly [term: string, description: string]> = [
  [
    'serve [options]',
    `start the proxy and the dashboard (headless), on 127.0.0.1:${DEFAULT_PORT} by default`,
  ],
  ['provider', 'OpenAI- or Anthropic-compatible services to send requests to'],
  ['key', 'provider API keys, kept in the OS keychain'],
  ['tool', 'tools (scripts, CLIs, editors) and their tokens and limits'],
  [
    'exec [options] <command...>',
    'run a command with OPENAI_*/ANTHROPIC_*/GEMINI_* set to the proxy and a token of the tool',
  ],
  ['env [options]', 'print export lines for a tool (mints a token that expires after --ttl)'],
  [
    'token [options]',
    'print a fresh token of a tool that expires after --ttl (for agents that run a command for their key)',
  ],
  [
    'connect [options] <agent>',
    "write an agent's own config so it goes through Shimmy (claude-code, codex, gemini, opencode, aider, continue)",
  ],
  [
    'disconnect [options] <agent>',
    'put back the agent config file that connect changed, byte for byte (or remove it if it was new)',
  ],
  ['usage [options]', 'spend and tokens, grouped'],
  ['logs [options]', 'recent requests, newest first'],
  ['export [options]', 'the request log as CSV or JSONL (newest first), to a file or stdout'],
  ['price', 'model prices (USD per 1M tokens)'],
  ['cache', 'exact-match response cache (off by default)'],
  ['route', 'model aliases and routing rules (first match wins)'],
  ['dashboard [options]', 'print a fresh one-time login link to the dashboard'],
  [
    'plan [options]',
    'plan limits (5-hour and weekly windows) seen on plan traffic, and its API-equivalent cost',
  ],
  ['settings', 'read and change settings (timeouts, retention, budgets for all tools, …)'],
];
