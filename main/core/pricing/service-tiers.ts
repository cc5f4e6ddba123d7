// Multipliers for the service tier, speed and region a request was served at. The catalog has no
// prices per tier, so these are the providers' own published rules, applied to token prices only
// (per-call fees such as web searches are the same at every tier). An unknown tier is no guess:
// the request is unpriced.
import type { Usage } from '../../../shared/usage.js';

/** OpenAI Priority processing, as priority price ÷ standard price per catalog model id. OpenAI
 *  publishes priority prices per model (https://openai.com/api-priority-processing/, read
 *  2026-11-27); for each of these the ratio is the same for input, cached input and output. */
const OPENAI_PRIORITY: Readonly<Record<string, number>> = {
  'gpt-5.5': 2.5, // $12.50 / $1.25 / $75 vs $5 / $0.50 / $30
  'gpt-5.4': 2, // $5 / $0.50 / $30 vs $2.50 / $0.25 / $15
  'gpt-5.4-mini': 2, // $1.50 / $0.15 / $9 vs $0.75 / $0.075 / $4.50
  'gpt-5.2': 2, // $3.50 / $0.35 / $28 vs $1.75 / $0.175 / $14
  'gpt-5.1': 2, // $2.50 / $0.25 / $20 vs $1.25 / $0.125 / $10 (gpt-5.1-codex too)
  'gpt-5': 2, // same (gpt-5-codex too)
  'gpt-5-mini': 1.8, // $0.45 / $0.045 / $3.60 vs $0.25 / $0.025 / $2
  'gpt-4.1': 1.75, // $3.50 / $0.875 / $14 vs $2 / $0.50 / $8
  'gpt-4.1-mini': 1.75, // $0.70 / $0.175 / $2.80 vs $0.40 / $0.10 / $1.60
  'gpt-4.1-nano': 2, // $0.20 / $0.05 / $0.80 vs $0.10 / $0.025 / $0.40
  'gpt-4o': 1.7, // $4.25 / $2.125 / $17 vs $2.50 / $1.25 / $10
};

/** OpenAI Flex processing is billed at Batch API rates, half of standard
 *  (https://developers.openai.com/api/docs/guides/flex-processing, read 2026-11-27); Anthropic's
 *  Message Batches API is also 50% off (https://platform.claude.com/docs/en/build-with-claude/batch-processing). */
const HALF = 0.5;

/** Anthropic fast mode (`speed: "fast"`): Opus 4.6 at 6× its standard rates, in either context
 *  band (https://platform.claude.com/docs/en/build-with-claude/fast-mode, read 2026-11-27:
 *  $30/$150 ≤ 200K and $60/$225 > 200K against $5/$25 and $10/$37.50). Other models' fast-mode
 *  multipliers are not published there: unpriced until they are added. */
const ANTHROPIC_FAST: Readonly<Record<string, number>> = { 'claude-opus-4-6': 6 };

/** `inference_geo: "us"`: 1.1× on every token category for Opus 4.6, Sonnet 4.6 and later; older
 *  models reject the parameter, so an answer that says `us` came from a model it applies to
 *  (https://support.claude.com/en/articles/15422948, read 2026-11-27). Stacks with fast mode. */
const ANTHROPIC_US_GEO = 1.1;

const STANDARD = new Set(['default', 'standard', 'auto', 'on_demand']);

/** The factor on token prices, or null when the tier's price is unknown. */
export function tierFactor(
  catalogProvider: string,
  modelId: string,
  usage: Pick<Usage, 'serviceTier' | 'inferenceGeo'>,
): number | null {
  const tier = usage.serviceTier?.toLowerCase();
  const geo = usage.inferenceGeo?.toLowerCase();
  let factor = 1;
  if (tier !== undefined && !STANDARD.has(tier)) {
    const f = tierOf(catalogProvider, modelId, tier);
    if (f === null) return null;
    factor *= f;
  }
  if (geo !== undefined && geo !== 'global' && geo !== 'not_available') {
    if (catalogProvider !== 'anthropic' || geo !== 'us') return null;
    factor *= ANTHROPIC_US_GEO;
  }
  return factor;
}

function tierOf(provider: string, modelId: string, tier: string): number | null {
  if (provider === 'openai') {
    if (tier === 'flex' || tier === 'batch') return HALF;
    if (tier === 'priority') return OPENAI_PRIORITY[modelId] ?? null;
    return null;
  }
  if (provider === 'anthropic') {
    if (tier === 'batch') return HALF;
    if (tier === 'fast') return ANTHROPIC_FAST[modelId] ?? null;
    return null;
  }
  return null;
}
