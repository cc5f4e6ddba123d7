// aider: ~/.aider.conf.yml (its top-level options). aider has no command hook for credentials, so
// a token of the tool (expiring after --ttl) is written there. The Anthropic base URL reaches
// aider's model library (LiteLLM) through `set-env`.
import path from 'node:path';
import { homeOf, type AgentWriter } from './agent-writer.js';
import { setKeyLines } from './key-lines.js';

export const aiderWriter: AgentWriter = {
  id: 'aider',
  label: 'aider',
  credential: 'token',
  file: (env) => path.join(homeOf(env), '.aider.conf.yml'),
  edit: (current, ctx) =>
    setKeyLines(
      current,
      {
        'openai-api-base': `${ctx.baseUrl}/v1`,
        'openai-api-key': ctx.token,
        'anthropic-api-key': ctx.token,
        'set-env': { raw: `[${JSON.stringify(`ANTHROPIC_API_BASE=${ctx.baseUrl}`)}]` },
      },
      'yaml',
    ),
  exec: 'shimmy exec --tool aider -- aider',
};
