// Every agent Shimmy can connect, by id.
import type { AgentId } from '../../../shared/agents.js';
import type { AgentWriter } from './agent-writer.js';
import { aiderWriter } from './aider-writer.js';
import { claudeCodeWriter } from './claude-code-writer.js';
import { codexWriter } from './codex-writer.js';
import { continueWriter } from './continue-writer.js';
import { geminiWriter } from './gemini-writer.js';
import { opencodeWriter } from './opencode-writer.js';

export const agentWriters: Record<AgentId, AgentWriter> = {
  'claude-code': claudeCodeWriter,
  codex: codexWriter,
  gemini: geminiWriter,
  opencode: opencodeWriter,
  aider: aiderWriter,
  continue: continueWriter,
};
