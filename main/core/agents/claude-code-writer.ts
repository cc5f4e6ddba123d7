// Claude Code: the `env` block and `apiKeyHelper` of ~/.claude/settings.json. The helper asks
// Shimmy for a short-lived token, so no long-lived token sits on disk; Claude Code re-runs it
// after CLAUDE_CODE_API_KEY_HELPER_TTL_MS (and on a 401).
import path from 'node:path';
import { homeOf, isRecord, parseJsonObject, shellJoin, type AgentWriter } from './agent-writer.js';

/** Claude Code asks again after 15 minutes; each token lives an hour, so one never expires in use. */
export const HELPER_REFRESH_MS = 15 * 60_000;
export const HELPER_TOKEN_TTL = '1h';

export const claudeCodeWriter: AgentWriter = {
  id: 'claude-code',
  label: 'Claude Code',
  credential: 'helper',
  file: (env) => path.join(env.CLAUDE_CONFIG_DIR || path.join(homeOf(env), '.claude'), 'settings.json'),
  edit(current, ctx) {
    const settings = parseJsonObject(current, 'settings.json');
    const env = isRecord(settings.env) ? { ...settings.env } : {};
    // A key in the env block would win over the helper and bypass the tool's short-lived tokens.
    delete env.ANTHROPIC_API_KEY;
    delete env.ANTHROPIC_AUTH_TOKEN;
    env.ANTHROPIC_BASE_URL = ctx.baseUrl;
    env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS = String(HELPER_REFRESH_MS);
    settings.env = env;
    settings.apiKeyHelper = shellJoin(ctx.tokenCommand);
    return JSON.stringify(settings, null, 2) + '\n';
  },
  exec: 'shimmy exec --tool claude-code -- claude',
  note: 'An ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in your shell still wins over the settings file: unset it.',
};
