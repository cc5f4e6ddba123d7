// Gemini CLI: ~/.gemini/.env, which it loads when no project .env is found first. Gemini CLI has
// no command hook for credentials, so a token of the tool (expiring after --ttl) is written there.
import path from 'node:path';
import { homeOf, type AgentWriter } from './agent-writer.js';
import { setKeyLines } from './key-lines.js';

export const geminiWriter: AgentWriter = {
  id: 'gemini',
  label: 'Gemini CLI',
  credential: 'token',
  file: (env) => path.join(homeOf(env), '.gemini', '.env'),
  edit: (current, ctx) =>
    setKeyLines(current, { GOOGLE_GEMINI_BASE_URL: ctx.baseUrl, GEMINI_API_KEY: ctx.token }, 'env'),
  exec: 'shimmy exec --tool gemini -- gemini',
  note: 'A .env in the project (or .gemini/.env there) is read first and would win over this one.',
};
