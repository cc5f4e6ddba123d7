// Whether an answer may be stored under its request's cache key. The key is the client's body; the
// answer is what the body Shimmy sent got. An output limit written where the request named none,
// at the model's maximum, changes nothing the answer could use; a lowered one, or a bound on the
// tool calls (an Anthropic web search's max_uses, the Responses API's max_tool_calls), may have cut
// the answer short: never replayed to a request that was not bounded
// (test/integration/cache-bounded-answer.test.ts).
import { CALLS_CAPPED_HEADER, CAPPED_HEADER } from './stages/admit.js';

/** The members an unlowered output limit is written to (limits/output-limit-field.ts). */
const OUTPUT_LIMIT_MEMBERS = new Set([
  'max_tokens',
  'max_completion_tokens',
  'max_output_tokens',
  'generationConfig',
  'generation_config',
]);

export function answerCacheable(admitted: {
  headers: Record<string, string>;
  upstreamEdits?: Record<string, string>;
}): boolean {
  if (admitted.headers[CAPPED_HEADER] || admitted.headers[CALLS_CAPPED_HEADER]) return false;
  for (const member in admitted.upstreamEdits) if (!OUTPUT_LIMIT_MEMBERS.has(member)) return false;
  return true;
}
