// Codex CLI: a custom `model_provider` in ~/.codex/config.toml (Codex ignores OPENAI_BASE_URL for
// its built-in provider). Auth is command-backed (`[model_providers.shimmy.auth]`): Codex runs
// `shimmy token` and refreshes it, so no long-lived token sits on disk.
import path from 'node:path';
import { parse, stringify } from 'smol-toml';
import { ConnectError, homeOf, isRecord, PLAN_TOKEN_HEADER, type AgentWriter } from './agent-writer.js';
import { HELPER_REFRESH_MS } from './claude-code-writer.js';

export const CODEX_PROVIDER_ID = 'shimmy';

export function codexProvider(baseUrl: string, auth: { tokenCommand: string[] } | { envKey: string }) {
  return {
    name: 'Shimmy',
    base_url: `${baseUrl}/v1`,
    wire_api: 'responses',
    requires_openai_auth: false,
    ...('envKey' in auth
      ? { env_key: auth.envKey }
      : {
          auth: {
            command: auth.tokenCommand[0]!,
            args: auth.tokenCommand.slice(1),
            timeout_ms: 10_000,
            refresh_interval_ms: HELPER_REFRESH_MS,
          },
        }),
  };
}

/** Plan login: Codex keeps its ChatGPT sign-in (`requires_openai_auth`, so it sends its own
 *  bearer and account id) and names its tool in a static header. */
export function codexPlanProvider(baseUrl: string, token: string) {
  return {
    name: 'Shimmy (plan)',
    base_url: `${baseUrl}/v1`,
    wire_api: 'responses',
    requires_openai_auth: true,
    http_headers: { [PLAN_TOKEN_HEADER]: token },
  };
}

export const codexWriter: AgentWriter = {
  id: 'codex',
  label: 'Codex CLI',
  credential: 'helper',
  plan: true,
  file: (env) => path.join(env.CODEX_HOME || path.join(homeOf(env), '.codex'), 'config.toml'),
  edit(current, ctx) {
    let doc: Record<string, unknown> = {};
    try {
      if (current !== null) doc = parse(current) as Record<string, unknown>;
    } catch (err) {
      throw new ConnectError(`config.toml is not valid TOML (${(err as Error).message}); fix it first`);
    }
    const providers = isRecord(doc.model_providers) ? { ...doc.model_providers } : {};
    providers[CODEX_PROVIDER_ID] = ctx.plan
      ? codexPlanProvider(ctx.baseUrl, ctx.token)
      : codexProvider(ctx.baseUrl, { tokenCommand: ctx.tokenCommand });
    // Root keys must come before tables in TOML: rebuild with model_provider first.
    const { model_provider: _old, model_providers: _p, ...rest } = doc;
    return stringify({ model_provider: CODEX_PROVIDER_ID, ...rest, model_providers: providers }) + '\n';
  },
  exec: 'shimmy exec --tool codex -- codex',
  note: 'Rewriting config.toml drops its comments (disconnect brings the original back byte for byte).',
};

/** `-c` overrides that point one `codex` run at Shimmy (for `shimmy exec`), leaving ~/.codex alone.
 *  The token comes from OPENAI_API_KEY, which exec sets. */
export function codexExecArgs(baseUrl: string): string[] {
  const p = codexProvider(baseUrl, { envKey: 'OPENAI_API_KEY' });
  // JSON strings and booleans are valid TOML values.
  const sets = [
    `model_provider=${JSON.stringify(CODEX_PROVIDER_ID)}`,
    ...Object.entries(p).map(([k, v]) => `model_providers.${CODEX_PROVIDER_ID}.${k}=${JSON.stringify(v)}`),
  ];
  return sets.flatMap((s) => ['-c', s]);
}

export const isCodexCommand = (command: string) => /^codex(\.exe|\.cmd)?$/i.test(path.basename(command));
