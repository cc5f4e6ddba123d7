// Gemini CLI: ~/.gemini/.env (base URL and key; read when no project .env is found first) and
// `security.auth.selectedType` in ~/.gemini/settings.json. Gemini CLI 0.61 picks a "gateway" auth
// type when GOOGLE_GEMINI_BASE_URL is set and then rejects it itself in non-interactive runs
// ("Invalid auth method selected."); "gemini-api-key" uses the same base URL and works. It has no
// command hook for credentials, so a token of the tool (expiring after --ttl) goes into the .env.
import path from 'node:path';
import { homeOf, isRecord, parseJsonObject, type AgentWriter } from './agent-writer.js';
import { setKeyLines } from './key-lines.js';

const geminiDir = (env: NodeJS.ProcessEnv) => path.join(homeOf(env), '.gemini');

export const geminiWriter: AgentWriter = {
  id: 'gemini',
  label: 'Gemini CLI',
  credential: 'token',
  file: (env) => path.join(geminiDir(env), '.env'),
  edit: (current, ctx) =>
    setKeyLines(current, { GOOGLE_GEMINI_BASE_URL: ctx.baseUrl, GEMINI_API_KEY: ctx.token }, 'env'),
  also: [
    {
      file: (env) => path.join(geminiDir(env), 'settings.json'),
      edit(current) {
        const settings = parseJsonObject(current, 'settings.json');
        const security = isRecord(settings.security) ? { ...settings.security } : {};
        const auth = isRecord(security.auth) ? { ...security.auth } : {};
        auth.selectedType = 'gemini-api-key';
        security.auth = auth;
        settings.security = security;
        return JSON.stringify(settings, null, 2) + '\n';
      },
    },
  ],
  exec: 'shimmy exec --tool gemini -- gemini',
  note: 'Needs security.auth.selectedType "gemini-api-key" in ~/.gemini/settings.json (connect writes it; with exec, set it once). A .env in the project is read before ~/.gemini/.env.',
};
