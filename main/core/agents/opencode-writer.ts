// opencode: its global opencode.json. Its built-in openai, anthropic and google providers keep their
// model lists and only get Shimmy's base URLs and a token of the tool (opencode has no command hook
// for credentials, so the token expires after --ttl).
import path from 'node:path';
import {
  isRecord,
  parseJsonObject,
  xdgConfig,
  type AgentWriter,
  type ConnectContext,
} from './agent-writer.js';

export function opencodeProviders(ctx: Pick<ConnectContext, 'baseUrl' | 'token'>) {
  return {
    openai: { baseURL: `${ctx.baseUrl}/v1`, apiKey: ctx.token },
    anthropic: { baseURL: `${ctx.baseUrl}/v1`, apiKey: ctx.token },
    google: { baseURL: `${ctx.baseUrl}/v1beta`, apiKey: ctx.token },
  };
}

export const opencodeWriter: AgentWriter = {
  id: 'opencode',
  label: 'opencode',
  credential: 'token',
  file: (env) => path.join(xdgConfig(env), 'opencode', 'opencode.json'),
  edit(current, ctx) {
    const config = parseJsonObject(current, 'opencode.json');
    const providers = isRecord(config.provider) ? { ...config.provider } : {};
    for (const [id, options] of Object.entries(opencodeProviders(ctx))) {
      const existing = isRecord(providers[id]) ? providers[id] : {};
      const oldOptions = isRecord(existing.options) ? existing.options : {};
      providers[id] = { ...existing, options: { ...oldOptions, ...options } };
    }
    config.provider = providers;
    return JSON.stringify(config, null, 2) + '\n';
  },
  exec: 'shimmy exec --tool opencode -- opencode',
};
