// The input tokens a USD reservation counts, beyond the body's own: a stored conversation it
// continues, what its server-side tools may bring in (tool-content-input.ts: a bound the tools
// name, a fixed block per built-in call, or else the context window), and media whose length only
// the provider learns (proxy/unsized-input.ts) — at least the widest context window that may serve
// it for the unbounded ones; then, where Shimmy's count is not the provider's, past a
// long-context threshold it comes near (reserved-input.ts, pastNearThreshold). TPM counts none
// of these (proxy/stages/admit/reservation.ts): they are bounds on the bill, not estimates of
// the tokens.
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import { tierStarts, type PriceMatch } from '../pricing/index.js';
import { contextWindowOf } from './context-windows.js';
import { FOREIGN_COUNT_MARGIN, pastNearThreshold } from './reserved-input.js';
import { DEFAULT_CONTEXT_WINDOW } from './stored-responses.js';
import { toolContentInput } from './tool-content-input.js';

/** OpenAI itself and Azure's OpenAI: their tokenizer is Shimmy's (o200k_base), and they read
 *  `max_completion_tokens`. */
export const OPENAI_HOSTED = new Set(['openai', 'azure']);

/** The input tokens for `bodyInput` of the body's own and `calls` built-in tool calls. */
export type InputTokensAt = (bodyInput: number, calls: number) => number;

export function reservedInputTokens(x: {
  family: ApiFamily;
  endpoint: Endpoint;
  body: unknown;
  /** Every model that may serve it (the routed one and its fallbacks), and their prices. */
  models: readonly string[];
  price: PriceMatch | undefined;
  fallbackPrices: ReadonlyArray<PriceMatch | undefined>;
  /** The context window the request asks for, wider than the model's (context-window.ts). */
  askedWindow: number | undefined;
  /** Tokens of the stored conversation it continues (stored-responses.ts). */
  stored: number;
  /** It holds media whose length only the provider learns (unsized-input.ts); asked only when
   *  no tool has made the window the floor already. */
  unsized: () => boolean;
}): InputTokensAt {
  const widestWindow = () => widestContextWindow(x.price, x.fallbackPrices, x.askedWindow);
  const brought = toolContentInput(x.family, x.endpoint, x.models, x.body);
  const floor = brought.window || x.unsized() ? widestWindow() : 0;
  // What the calls bring in together is bounded by the context window as well.
  const perCallCap = brought.perCall > 0 ? widestWindow() : 0;
  const fixed = x.stored + brought.tokens;
  const thresholds = foreignThresholds(x.price, x.fallbackPrices, x.askedWindow);
  return (bodyInput, calls) => {
    const own = Math.max(bodyInput + fixed + Math.min(brought.perCall * calls, perCallCap), floor);
    return thresholds.length === 0 ? own : pastNearThreshold(own, thresholds, FOREIGN_COUNT_MARGIN);
  };
}

const NO_THRESHOLDS: readonly number[] = [];

/** The long-context thresholds of the prices that may serve the request whose input Shimmy counts
 *  with another tokenizer than the provider's: every one but OpenAI's (o200k_base is theirs). */
function foreignThresholds(
  price: PriceMatch | undefined,
  fallbacks: ReadonlyArray<PriceMatch | undefined>,
  askedWindow: number | undefined,
): readonly number[] {
  let out: number[] | undefined;
  for (const p of [price, ...fallbacks]) {
    if (!p || OPENAI_HOSTED.has(p.provider)) continue;
    // A tier at the end of the context window is never billed: a longer input is refused
    // (claude-sonnet-4-5: 200,000, both) — unless the request asked for a wider window (its 1M
    // beta, context-window.ts).
    const windowEnd = Math.max(p.contextWindow ?? Infinity, askedWindow ?? 0);
    for (const start of tierStarts(p)) if (start < windowEnd) (out ??= []).push(start);
  }
  return out ?? NO_THRESHOLDS;
}

/** The widest context window that may serve the request: of the routed model and each fallback
 *  (the assumed one where the catalog has none), and one the request asks for (Claude's 1M beta). */
export const widestContextWindow = (
  price: PriceMatch | undefined,
  fallbacks: ReadonlyArray<PriceMatch | undefined>,
  askedWindow: number | undefined,
): number => Math.max(largestContextWindow(price, fallbacks, DEFAULT_CONTEXT_WINDOW), askedWindow ?? 0);

/** The largest context window among the prices that may serve the request; where one has none,
 *  `unknown` stands in for it (gpt-5's 400,000), or the answer is null when `unknown` is. */
export function largestContextWindow<U extends number | null>(
  price: PriceMatch | undefined,
  fallbacks: ReadonlyArray<PriceMatch | undefined>,
  unknown: U,
): number | U {
  let most = 0;
  for (const p of [price, ...fallbacks]) {
    const window = contextWindowOf(p) ?? unknown;
    if (window === null) return unknown;
    most = Math.max(most, window);
  }
  return most;
}
