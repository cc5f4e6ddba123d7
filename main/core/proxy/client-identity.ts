// Which client sent a request and in which of its sessions, from what coding agents really send
// (captured against a loopback server, 2026-11): Claude Code `User-Agent: claude-cli/2.1.197 …` +
// `x-claude-code-session-id`; Codex `codex_exec/0.171.0 …` (or codex_cli_rs) + `session-id`
// (older: `session_id`); opencode `opencode/1.18.33 …` + `x-session-id`; Gemini CLI
// `GeminiCLI-tui/0.61.0/…` and no session header. `x-shimmy-session` lets any client name one.
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordDraft } from './request-record.js';

const SESSION_HEADERS = [
  'x-shimmy-session',
  'x-claude-code-session-id',
  'session-id',
  'session_id',
  'x-session-id',
];
const MAX = 100;

/** `name/version` of the User-Agent's first product, e.g. `claude-cli/2.1.197`. */
export function clientOf(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const m = /^([^\s/]+)(?:\/([^\s/;()]+))?/.exec(userAgent.trim());
  if (!m) return undefined;
  return (m[2] ? `${m[1]}/${m[2]}` : m[1]!).slice(0, MAX);
}

export function sessionOf(headers: IncomingHttpHeaders): string | undefined {
  for (const h of SESSION_HEADERS) {
    const v = headers[h];
    if (typeof v === 'string' && v !== '') return v.slice(0, MAX);
  }
  return undefined;
}

/** The record's client and session, from the request's headers. */
export function identifyClient(draft: RecordDraft, headers: IncomingHttpHeaders): void {
  const client = clientOf(headers['user-agent']);
  if (client) draft.client = client;
  const session = sessionOf(headers);
  if (session) draft.session = session;
}
