// Whether an answer's stream may leave out output the provider bills: a reasoning model's thinking.
// OpenAI's reasoning tokens never appear in a stream; Claude 4 streams only a summary of its
// thinking, billed in full ("Summarized thinking", docs.claude.com/en/docs/build-with-claude/
// extended-thinking, read 2026-11-29). Such a stream cut midway has cost more than the text it
// delivered: the thinking behind its first word was all generated before that word.
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import { isObject } from './request-meta.js';
import { bareModel } from '../route/bare-model.js';

/** Model families that think before they answer wherever they are served (OpenAI's o-series and
 *  gpt-5 but not gpt-5-chat, codex models, gpt-oss, xAI's grok-4 and grok-3-mini, DeepSeek's
 *  reasoner, Gemini 2.5 and 3 through an OpenAI-compatible API). */
const REASONING_MODEL =
  /^(o\d|gpt-5(?!(\.\d+)?-chat)|codex|gpt-oss|grok-4|grok-3-mini|deepseek-reasoner|gemini-(2\.5|3))/;

export function mayThinkUnseen(family: ApiFamily, endpoint: Endpoint, model: string, body: unknown): boolean {
  if (family === 'anthropic') {
    const thinking = isObject(body) ? body.thinking : undefined;
    return endpoint === 'messages' && isObject(thinking) && thinking.type !== 'disabled';
  }
  // Gemini's native stream carries its cumulative usage, thoughts included, in every chunk.
  if (family !== 'openai') return false;
  if (endpoint !== 'chat' && endpoint !== 'completions' && endpoint !== 'responses') return false;
  if (isObject(body) && (body.reasoning_effort !== undefined || isObject(body.reasoning))) return true;
  return REASONING_MODEL.test(bareModel(model.trim()));
}
