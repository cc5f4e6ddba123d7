// Output capped, not guessed: a request's worst case is its input plus its output limit (or the
// model's maximum when it names none) times the answers it asks for. When that does not fit what
// the budget has left, the limit is lowered to what the budget can pay for; only when not even a
// small answer fits is the request refused. Costs come from the caller's pricing function — the
// one the ledger prices with — so a tier or premium is reserved exactly as it will be billed.
import type { Usage } from '../../../shared/usage.js';

/** The smallest answer worth sending (per answer): below it a capped request is refused instead.
 *  1,024 tokens holds a short reply or a tool call, and is Anthropic's minimum thinking budget. */
export const MIN_CAPPED_OUTPUT_TOKENS = 1024;

/** Prices a hypothetical usage: USD, or null when it cannot be priced. */
export type CostOf = (usage: Usage) => number | null;

export type OutputPlan =
  /** The whole worst case fits (or no USD budget applies): `limit` per answer, `usd` reserved. */
  | { kind: 'fits'; limit: number; usd: number }
  /** Lowered to `limit` per answer (below `wanted`), which costs `usd` at most. */
  | { kind: 'capped'; limit: number; wanted: number; usd: number }
  /** Not even `limit` tokens per answer fit; `usd` is what that smallest answer would cost. */
  | { kind: 'refused'; limit: number; usd: number };

export interface PlanArgs {
  cost: CostOf;
  /** The reserved input (with any cache-write premium); its outputTokens are ignored. */
  input: Usage;
  /** Output tokens per answer the request may use uncapped. */
  wanted: number;
  choices: number;
  /** USD the tightest budget has left after spend and other reservations; undefined = no budget. */
  headroomUsd: number | undefined;
  floor?: number;
}

export function planOutput(a: PlanArgs): OutputPlan {
  const usdFor = (perAnswer: number): number =>
    a.cost({ ...a.input, outputTokens: perAnswer * a.choices, reasoningTokens: 0 }) ?? Infinity;
  const full = usdFor(a.wanted);
  if (a.headroomUsd === undefined || full <= a.headroomUsd)
    return { kind: 'fits', limit: a.wanted, usd: full };
  const smallest = Math.min(a.floor ?? MIN_CAPPED_OUTPUT_TOKENS, a.wanted);
  if (usdFor(smallest) > a.headroomUsd) return { kind: 'refused', limit: smallest, usd: usdFor(smallest) };
  // Largest limit whose cost fits: cost only grows with output, so a binary search finds it with
  // the pricing function itself (tiers and all), ~17 calls for a 128K maximum.
  let lo = smallest;
  let hi = a.wanted - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (usdFor(mid) <= a.headroomUsd) lo = mid;
    else hi = mid - 1;
  }
  return { kind: 'capped', limit: lo, wanted: a.wanted, usd: usdFor(lo) };
}

/** How far a stream's output estimate may run past the enforced limit and still be taken for an
 *  estimate error: text is counted at a character ratio that can lean ~15% high. Past this, the
 *  upstream is plainly ignoring the limit, and the estimate stands. */
export const OUTPUT_ESTIMATE_SLACK = 1.25;

/** A stream's running usage, its output estimate held to the output limit the upstream enforces:
 *  the provider cannot write past it, so an estimate a little above it (text counted at a
 *  character ratio) must not end a stream that is still within what its reservation paid for. */
export function withinOutputLimit(usage: Usage, outputCap: number | undefined): Usage {
  if (outputCap === undefined || usage.outputTokens <= outputCap) return usage;
  if (usage.outputTokens > outputCap * OUTPUT_ESTIMATE_SLACK) return usage;
  return { ...usage, outputTokens: outputCap, reasoningTokens: Math.min(usage.reasoningTokens, outputCap) };
}
