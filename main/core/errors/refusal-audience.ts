// Which client is asking, as far as a final refusal (a budget spent, a plan window used up) goes.
// Most clients stop on a 429 that says `x-should-retry: false` (the OpenAI and Anthropic SDKs,
// Claude Code); two families of real clients do not, whatever the body or headers say:
// - Codex CLI maps every 429 to a message of its own ("Quota exceeded. Check your plan…" or
//   "exceeded retry limit"), never the server's, and retries any other unexpected status five
//   times; only a 400 is shown as sent and not retried.
// - The Vercel AI SDK (and opencode on it) treats every 429 as retryable: the SDK retries it
//   twice, opencode for ever; Continue (cn and the editor extensions) up to ten times. A 402 is
//   final for all of them and its message is shown.
// Checked against Codex 0.171, opencode 1.18 (AI SDK provider-utils 4.0), Continue cn 1.5, see
// the README.
import type { IncomingHttpHeaders } from 'node:http';

export type RefusalAudience = 'default' | 'codex' | 'retries-429';

/** Sent by the models `shimmy connect continue` writes: Continue's requests carry no other sign of
 *  it (its bundled OpenAI SDK's User-Agent is a minified class name). */
export const CONTINUE_AGENT_HEADER = 'x-shimmy-agent';

export function refusalAudience(headers: IncomingHttpHeaders): RefusalAudience {
  const ua = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : '';
  const originator = typeof headers.originator === 'string' ? headers.originator : '';
  // Codex's core sends `originator` (codex_exec, codex_cli_rs, codex_vscode…) and a UA that starts
  // with it; every front end shares the same error handling.
  if (/^codex[_-]/i.test(originator) || /^codex_/i.test(ua)) return 'codex';
  // AI SDK 5+ providers append `ai-sdk/<package>/<version>` to the User-Agent.
  if (/(^|\s)ai-sdk\//.test(ua) || headers[CONTINUE_AGENT_HEADER] === 'continue') return 'retries-429';
  return 'default';
}
