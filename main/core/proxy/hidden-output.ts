// Whether an answer's stream may leave out output the provider bills: a reasoning model's thinking.
// OpenAI's reasoning tokens never appear in a stream; Claude 4 streams only a summary of its
// thinking, billed in full ("Summarized thinking", docs.claude.com/en/docs/build-with-claude/
// extended-thinking, read 2026-11-29). Such a stream cut midway has cost more than the text it
// delivered: the thinking behind its first word was all generated before that word. Gemini 2.5 and
// 3 think before their native stream's first chunk, which says what they thought: a stream cut
// before it has cost its thinking too (test/integration/cut-gemini-thinking-stream.test.ts).
import type { ApiFamily, Endpoint, Usage } from '../../../shared/usage.js';
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
  if (family === 'gemini') return endpoint === 'generate_content' && geminiThinks(model, body);
  if (family !== 'openai') return false;
  if (endpoint !== 'chat' && endpoint !== 'completions' && endpoint !== 'responses') return false;
  if (isObject(body) && (body.reasoning_effort !== undefined || isObject(body.reasoning))) return true;
  return REASONING_MODEL.test(bareModel(model.trim()));
}

/** Gemini models that think by default: every one after 2.0 (2.5, 3 and the `-latest` aliases that
 *  name them), unless the request turns thinking off (`thinkingBudget: 0`, 2.5 Flash and Flash-Lite;
 *  Pro refuses it). Unknown later names count as thinking: a wrong guess costs a cut stream its
 *  reservation, a wrong guess the other way let the thinking go unbilled. */
const GEMINI_NON_THINKING = /^gemini-(1\.|2\.0|pro$|pro-vision|ultra)/;

function geminiThinks(model: string, body: unknown): boolean {
  const name = bareModel(model.trim());
  if (!name.startsWith('gemini-') || GEMINI_NON_THINKING.test(name) || name.includes('embedding'))
    return false;
  const g = isObject(body) ? (body.generationConfig ?? body.generation_config) : undefined;
  const t = isObject(g) ? (g.thinkingConfig ?? g.thinking_config) : undefined;
  const budget = isObject(t) ? (t.thinkingBudget ?? t.thinking_budget) : undefined;
  // Google's proto3 JSON mapping takes an int32 as a number or a numeric string.
  return !(budget === 0 || (typeof budget === 'string' && /^\s*0+\s*$/.test(budget)));
}

/** Gemini's native stream carries its cumulative usage, thoughts included, in every chunk: once a
 *  chunk has said what was thought, a cut stream's running usage holds it and nothing is unseen. */
export function thinkingReported(family: ApiFamily, usage: Usage): boolean {
  return family === 'gemini' && usage.reasoningTokens > 0;
}
