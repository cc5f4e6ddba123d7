// Claude Code: the `env` block and `apiKeyHelper` of ~/.claude/settings.json. The helper asks
// Shimmy for a short-lived token, so no long-lived token sits on disk; Claude Code re-runs it
// after CLAUDE_CODE_API_KEY_HELPER_TTL_MS (and on a 401).
import path from 'node:path';
import {
  homeOf,
  isRecord,
  parseJsonObject,
  PLAN_TOKEN_HEADER,
  shellJoin,
  type AgentWriter,
  type ConnectContext,
} from './agent-writer.js';

/** Claude Code asks again after 15 minutes; each token lives an hour, so one never expires in use. */
export const HELPER_REFRESH_MS = 15 * 60_000;
export const HELPER_TOKEN_TTL = '1h';

export const claudeCodeWriter: AgentWriter = {
  id: 'claude-code',
  label: 'Claude Code',
  credential: 'helper',
  plan: true,
  file: (env) => path.join(env.CLAUDE_CONFIG_DIR || path.join(homeOf(env), '.claude'), 'settings.json'),
  edit(current, ctx) {
    const settings = parseJsonObject(current, 'settings.json');
    const env = isRecord(settings.env) ? { ...settings.env } : {};
    // A key in the env block would win over the helper and bypass the tool's short-lived tokens
    // (and, on a plan, over the plan login itself).
    delete env.ANTHROPIC_API_KEY;
    delete env.ANTHROPIC_AUTH_TOKEN;
    env.ANTHROPIC_BASE_URL = ctx.baseUrl;
    if (ctx.plan) return planSettings(settings, env, ctx);
    env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS = String(HELPER_REFRESH_MS);
    settings.env = env;
    settings.apiKeyHelper = shellJoin(ctx.tokenCommand);
    return JSON.stringify(settings, null, 2) + '\n';
  },
  exec: 'shimmy exec --tool claude-code -- claude',
  note: 'An ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in your shell still wins over the settings file: unset it.',
};

/** Plan login: Claude Code keeps its own OAuth sign-in (no apiKeyHelper, which would replace it)
 *  and names its tool in a custom header. Other custom header lines are kept. */
function planSettings(
  settings: Record<string, unknown>,
  env: Record<string, unknown>,
  ctx: ConnectContext,
): string {
  const lines =
    typeof env.ANTHROPIC_CUSTOM_HEADERS === 'string' ? env.ANTHROPIC_CUSTOM_HEADERS.split('\n') : [];
  const others = lines.filter((l) => l.trim() !== '' && !l.toLowerCase().startsWith(`${PLAN_TOKEN_HEADER}:`));
  env.ANTHROPIC_CUSTOM_HEADERS = [...others, `${PLAN_TOKEN_HEADER}: ${ctx.token}`].join('\n');
  delete env.CLAUDE_CODE_API_KEY_HELPER_TTL_MS;
  settings.env = env;
  delete settings.apiKeyHelper;
  return JSON.stringify(settings, null, 2) + '\n';
}
