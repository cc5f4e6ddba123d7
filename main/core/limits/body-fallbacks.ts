// Models a request body itself names for the provider to fall back to, past Shimmy's routing:
// - OpenRouter's `models` (any error of the first, a context length or an outage, moves the
//   request to the next; "Requests are priced using the model that was ultimately used",
//   openrouter.ai/docs/guides/routing/model-fallbacks, read 2026-11-29): one of them serves it.
// - Anthropic's server-side `fallbacks` (beta `server-side-fallback-2026-07-01`; @anthropic-ai/sdk
//   1.13.0 `BetaFallbacksParam`): when the requested model declines, each entry's model is tried in
//   turn, and every hop that ran is in the answer's `usage.iterations` — each may be billed.
//   An entry may carry its own `max_tokens` and `speed` (output-limit-field.ts and
//   reserved-input.ts read them); `"default"` is a server-defined chain the body does not name.
// Priced at the routed model alone, a Haiku request falling back to Opus 4.1 was billed $2.40 on a
// $0.20 budget (test/integration/body-fallbacks-budget.test.ts).
import type { Endpoint } from '../../../shared/usage.js';
import { isClaudeModel } from '../route/bare-model.js';

export interface BodyFallbacks {
  /** One of these serves the request instead of the routed model: reserved at the dearest. */
  oneOf: string[];
  /** Each of these may run, and be billed, after the routed model: reserved as their sum. */
  inTurn: string[];
  /** What lets the provider choose models the body does not name, for the refusal message. */
  unnamed?: string;
}

const NONE: BodyFallbacks = { oneOf: [], inTurn: [] };

/** A fallback entry's model: a model id, or an object naming one (`{ model }`). */
const modelOf = (entry: unknown): string | undefined => {
  if (typeof entry === 'string') return entry;
  const m = typeof entry === 'object' && entry !== null ? (entry as { model?: unknown }).model : undefined;
  return typeof m === 'string' ? m : undefined;
};

const namesOf = (list: unknown[]): string[] => [
  ...new Set(list.map(modelOf).filter((m): m is string => m !== undefined && m !== '')),
];

export function bodyFallbacks(endpoint: Endpoint, body: unknown): BodyFallbacks {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return NONE;
  const { models, fallbacks } = body as { models?: unknown; fallbacks?: unknown };
  const oneOf = Array.isArray(models) ? namesOf(models) : [];
  // Anthropic's Messages API tries each entry after a refusal (each hop billed); elsewhere (a
  // gateway's `fallbacks`, OpenRouter's Messages API maps them to `models`) one serves it. Summed
  // on the Messages API whoever serves it: only ever a larger reservation.
  const listed = Array.isArray(fallbacks) ? namesOf(fallbacks) : [];
  const inTurn = endpoint === 'messages' ? listed : [];
  if (endpoint !== 'messages') oneOf.push(...listed.filter((m) => !oneOf.includes(m)));
  const unnamed = fallbacks === 'default' ? 'fallbacks: "default" (models the provider chooses)' : undefined;
  if (oneOf.length === 0 && inTurn.length === 0 && unnamed === undefined) return NONE;
  return unnamed === undefined ? { oneOf, inTurn } : { oneOf, inTurn, unnamed };
}

/** The entries of an Anthropic `fallbacks` list (objects; a bare string has no overrides). */
export const fallbackEntries = (body: Record<string, unknown>): unknown[] =>
  Array.isArray(body.fallbacks) ? body.fallbacks : [];

/** The body names models the provider may serve it with instead of the routed one. */
export const namesModels = (named: BodyFallbacks): boolean =>
  named.oneOf.length > 0 || named.inTurn.length > 0;

/** The model whose tokenizer the input is counted with: Claude's counts more tokens than
 *  o200k_base for the same text (meter/token-count.ts: × 1.16 prose, × 1.30 code), so a request
 *  that a Claude model may serve is counted as Claude's even when routed to another. Counted at a
 *  Llama primary's count, a fallback to Claude Opus 4 billed $1.028475 on a $1 budget
 *  (test/integration/claude-fallback-count.test.ts). */
export function countingModel(model: string, chain: ReadonlyArray<string | undefined>): string {
  if (isClaudeModel(model)) return model;
  return chain.find((m): m is string => m !== undefined && isClaudeModel(m)) ?? model;
}
