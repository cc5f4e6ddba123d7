// Continue (VS Code / JetBrains): models in ~/.continue/config.yaml that point at Shimmy. Continue
// has no command hook for credentials, so a token of the tool (expiring after --ttl) goes in.
// Shimmy's entries are inserted as whole lines at the top of `models:`; nothing else is touched.
import path from 'node:path';
import { CONTINUE_AGENT_HEADER } from '../errors/refusal-audience.js';
import { ConnectError, homeOf, type AgentWriter, type ConnectContext } from './agent-writer.js';

export const CONTINUE_MODELS = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
] as const;

function modelLines(ctx: Pick<ConnectContext, 'baseUrl' | 'token'>, indent: string): string[] {
  return CONTINUE_MODELS.flatMap((m) => [
    `${indent}- name: ${JSON.stringify(`Shimmy ${m.model}`)}`,
    `${indent}  provider: ${m.provider}`,
    `${indent}  model: ${m.model}`,
    // Continue joins paths onto apiBase with a URL resolve: it must end in a slash.
    `${indent}  apiBase: ${JSON.stringify(`${ctx.baseUrl}/v1/`)}`,
    `${indent}  apiKey: ${JSON.stringify(ctx.token)}`,
    // Continue retries any 429 up to ten times: this header gets it a final refusal it stops on
    // (errors/refusal-audience.ts). Its requests carry no other sign of Continue.
    `${indent}  requestOptions:`,
    `${indent}    headers:`,
    `${indent}      ${CONTINUE_AGENT_HEADER}: continue`,
  ]);
}

export const continueWriter: AgentWriter = {
  id: 'continue',
  label: 'Continue',
  credential: 'token',
  file: (env) => path.join(homeOf(env), '.continue', 'config.yaml'),
  edit(current, ctx) {
    if (current === null || current.trim() === '')
      return ['name: Shimmy', 'version: 0.0.1', 'schema: v1', 'models:', ...modelLines(ctx, '  '), ''].join(
        '\n',
      );
    const eol = current.includes('\r\n') ? '\r\n' : '\n';
    const lines = current.split(/\r?\n/);
    const at = lines.findIndex((l) => /^models:/.test(l));
    if (at === -1) {
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return [...lines, 'models:', ...modelLines(ctx, '  '), ''].join(eol);
    }
    const rest = lines[at]!.replace(/^models:\s*/, '').replace(/\s*#.*$/, '');
    if (rest === '[]') {
      lines.splice(at, 1, 'models:', ...modelLines(ctx, '  '));
      return lines.join(eol);
    }
    if (rest !== '')
      throw new ConnectError(
        "config.yaml lists its models on one line; add Shimmy's models by hand (see the snippet)",
      );
    const next = lines.slice(at + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const indent = next && /^\s*- /.test(next) ? /^(\s*)/.exec(next)![1]! : '  ';
    lines.splice(at + 1, 0, ...modelLines(ctx, indent));
    return lines.join(eol);
  },
  note: 'An editor extension: it does not read environment variables, so use connect (or paste the snippet).',
};
