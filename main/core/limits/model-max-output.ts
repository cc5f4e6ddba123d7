// The most output tokens a model can write in one answer: the worst case of a request that names
// no output limit. The price catalog (@pydantic/genai-prices) has each model's context window but
// no output maximum, so this small table of families does, with its sources; a model it does not
// know gets a conservative default (the largest maximum in common use, not the old 4,096 guess).
// A budget never relies on this number alone: Shimmy writes the limit it reserved into the body it
// sends upstream (see output-cap.ts), so an answer cannot run past what was paid for.
import { bareModel } from '../route/bare-model.js';

/** Checked 2026-11 against platform.openai.com/docs/models (each model's "Max output tokens"),
 *  docs.claude.com/en/docs/about-claude/models/overview ("Max output"),
 *  ai.google.dev/gemini-api/docs/models ("Output token limit") and
 *  api-docs.deepseek.com/quick_start/pricing ("MAX OUTPUT"). First match wins: longer names first. */
export const MAX_OUTPUT_TABLE: ReadonlyArray<readonly [RegExp, number]> = [
  // OpenAI
  [/^gpt-5(\.\d+)?-pro/, 272_000],
  [/^gpt-5(\.\d+)?-chat/, 16_384],
  [/^gpt-5/, 128_000],
  [/^gpt-4\.1/, 32_768],
  [/^(chatgpt-)?gpt-4o|^chatgpt-4o/, 16_384],
  [/^o1-mini/, 65_536],
  [/^o[1345](-|$)/, 100_000],
  [/^codex-mini/, 100_000],
  [/^gpt-4-turbo|^gpt-4-\d{4}-preview/, 4_096],
  [/^gpt-4(-\d{4})?$/, 8_192],
  [/^gpt-3\.5/, 4_096],
  // Anthropic
  [/^claude-(opus|sonnet|haiku)-4-5|^claude-(sonnet|haiku|opus)-4\.5/, 64_000],
  [/^claude-opus-4/, 32_000],
  [/^claude-sonnet-4/, 64_000],
  // 64,000; 128,000 with the `output-128k-2025-02-19` beta header.
  [/^claude-3-7-sonnet/, 128_000],
  [/^claude-3-5-(sonnet|haiku)/, 8_192],
  [/^claude-3-(opus|haiku|sonnet)/, 4_096],
  // Google
  [/^gemini-(2\.5|3)/, 65_536],
  [/^gemini-2\.0/, 8_192],
  // DeepSeek
  [/^deepseek-reasoner/, 65_536],
  [/^deepseek-chat/, 8_192],
];

/** For a model none of the above names: gpt-5's 128,000 is the largest maximum in common use. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 128_000;

export interface ModelMaxOutput {
  tokens: number;
  /** `table`: a family above; `default`: unknown model, DEFAULT_MAX_OUTPUT_TOKENS. */
  source: 'catalog' | 'table' | 'default';
}

/** `catalogMax`: the price catalog's own figure, when it has one (it wins). */
export function modelMaxOutput(model: string, catalogMax?: number): ModelMaxOutput {
  if (catalogMax !== undefined && catalogMax > 0) return { tokens: catalogMax, source: 'catalog' };
  const name = bareModel(model.trim());
  for (const [re, tokens] of MAX_OUTPUT_TABLE) if (re.test(name)) return { tokens, source: 'table' };
  return { tokens: DEFAULT_MAX_OUTPUT_TOKENS, source: 'default' };
}

/** The most output tokens every one of `models` takes — the routed model and its fallbacks: the
 *  limit Shimmy writes goes to each, and a fallback refuses one above its own maximum (gpt-4o: 400
 *  "max_tokens is too large", output-limit-fallback.test.ts). The smallest known maximum; the
 *  first model's own when none is known. */
export function chainMaxOutput(models: readonly string[]): ModelMaxOutput {
  let least: ModelMaxOutput | undefined;
  for (const m of models) {
    const max = modelMaxOutput(m);
    if (max.source !== 'default' && (!least || max.tokens < least.tokens)) least = max;
  }
  return least ?? modelMaxOutput(models[0] ?? '');
}
