// One case per usage shape and per provider (issue 11 part 4). Each hand cost is computed from the
// provider's own published price, written beside it with its source and the date it was read;
// never copied from what Shimmy printed. `wire` is the provider's usage object for the same
// request, replayed through the real proxy by pricing.test.ts.
import type { ApiFamily, Usage } from '../../shared/usage.js';

export interface PricingCase {
  name: string;
  /** The serving provider as Shimmy's config has it (its base URL picks the catalog provider). */
  provider: { kind: ApiFamily; baseUrl: string; priceProvider?: string };
  model: string;
  at: string;
  usage: Usage;
  /** USD; null = must be recorded as unpriced (never a guess, never $0). */
  hand: number | null;
  wire?: {
    endpoint: 'chat' | 'responses' | 'embeddings' | 'messages';
    usage: Record<string, unknown>;
    /** The catalog provider the loopback stand-in bills as. */
    priceProvider: string;
    /** Top-level fields of the answer beside `usage` (OpenAI `service_tier`). */
    top?: Record<string, unknown>;
  };
}

export const AT = '2026-11-27T12:00:00.000Z'; // a Friday, 12:00 UTC: DeepSeek off-peak
const OPENAI = { kind: 'openai' as const, baseUrl: 'https://api.openai.com/v1' };
const ANTHROPIC = { kind: 'anthropic' as const, baseUrl: 'https://api.anthropic.com' };
const GEMINI = {
  kind: 'openai' as const,
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
};
const XAI = { kind: 'openai' as const, baseUrl: 'https://api.x.ai/v1' };
const DEEPSEEK = { kind: 'openai' as const, baseUrl: 'https://api.deepseek.com' };
const OPENROUTER = { kind: 'openai' as const, baseUrl: 'https://openrouter.ai/api/v1' };
const PERPLEXITY = { kind: 'openai' as const, baseUrl: 'https://api.perplexity.ai' };

const u = (x: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...x,
});

export const CASES: PricingCase[] = [
  // ---------------- OpenAI (https://platform.openai.com/docs/pricing, read 2026-11-27) ----------------
  {
    name: 'OpenAI chat: cached input, reasoning inside output',
    // gpt-4o-mini $0.15 in / $0.075 cached / $0.60 out per 1M:
    // 800×0.15 + 200×0.075 + 500×0.60 = 120 + 15 + 300 = 435 per 1M → $0.000435
    provider: OPENAI,
    model: 'gpt-4o-mini',
    at: AT,
    usage: u({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500, reasoningTokens: 100 }),
    hand: 0.000435,
    wire: {
      endpoint: 'chat',
      priceProvider: 'openai',
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 100 },
      },
    },
  },
  {
    name: 'OpenAI chat: a dated snapshot is priced as its model',
    // gpt-5-2025-08-07 = gpt-5, $1.25 in / $0.125 cached / $10 out:
    // 1000×1.25 + 100×10 = 1250 + 1000 = 2250 per 1M → $0.00225
    provider: OPENAI,
    model: 'gpt-5-2025-08-07',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100 }),
    hand: 0.00225,
  },
  {
    name: 'OpenAI Responses: cached input, reasoning inside output',
    // gpt-5 $1.25 / $0.125 cached / $10: 500×1.25 + 1500×0.125 + 800×10 = 625 + 187.5 + 8000
    // = 8812.5 per 1M → $0.0088125 (the 500 reasoning tokens are inside the 800, not added)
    provider: OPENAI,
    model: 'gpt-5',
    at: AT,
    usage: u({ inputTokens: 2000, cachedInputTokens: 1500, outputTokens: 800, reasoningTokens: 500 }),
    hand: 0.0088125,
    wire: {
      endpoint: 'responses',
      priceProvider: 'openai',
      usage: {
        input_tokens: 2000,
        input_tokens_details: { cached_tokens: 1500 },
        output_tokens: 800,
        output_tokens_details: { reasoning_tokens: 500 },
        total_tokens: 2800,
      },
    },
  },
  {
    name: 'OpenAI Responses: cache writes at the write rate (gpt-5.6)',
    // gpt-5.6-terra from 2026-07-30: $2 in / $2.50 cache write / $0.20 cached / $12 out per 1M
    // (@pydantic/genai-prices 0.1.8 bundled data, read 2026-11-29; a write at 1.25× input as OpenAI's
    // GPT-5.6 caching contract has it, ai-cost-estimator.com 2026-06-27). The Responses usage
    // reports writes in `input_tokens_details.cache_write_tokens` (openai-node 6.49.0 ResponseUsage):
    // 10,000×2 + 30,000×2.5 + 80,000×0.2 + 2,000×12 = 20,000 + 75,000 + 16,000 + 24,000
    // = 135,000 per 1M → $0.135
    provider: OPENAI,
    model: 'gpt-5.6-terra',
    at: AT,
    usage: u({
      inputTokens: 120_000,
      cachedInputTokens: 80_000,
      cacheWriteTokens: 30_000,
      outputTokens: 2000,
      reasoningTokens: 1500,
    }),
    hand: 0.135,
    wire: {
      endpoint: 'responses',
      priceProvider: 'openai',
      usage: {
        input_tokens: 120_000,
        input_tokens_details: { cached_tokens: 80_000, cache_write_tokens: 30_000 },
        output_tokens: 2000,
        output_tokens_details: { reasoning_tokens: 1500 },
        total_tokens: 122_000,
      },
    },
  },
  {
    name: 'OpenAI o3-pro is not o3',
    // o3-pro $20 in / $80 out: 1000×20 + 1000×80 = 100000 per 1M → $0.1 (o3 would be $0.01)
    provider: OPENAI,
    model: 'o3-pro',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 1000 }),
    hand: 0.1,
  },
  {
    name: 'OpenAI gpt-5-pro is not gpt-5',
    // gpt-5-pro $15 in / $120 out: 1000×15 + 1000×120 = 135000 per 1M → $0.135
    provider: OPENAI,
    model: 'gpt-5-pro',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 1000 }),
    hand: 0.135,
  },
  {
    name: 'OpenAI embeddings',
    // text-embedding-3-small $0.02 per 1M: 5000×0.02 = 100 per 1M → $0.0001
    provider: OPENAI,
    model: 'text-embedding-3-small',
    at: AT,
    usage: u({ inputTokens: 5000 }),
    hand: 0.0001,
    wire: {
      endpoint: 'embeddings',
      priceProvider: 'openai',
      usage: { prompt_tokens: 5000, total_tokens: 5000 },
    },
  },
  {
    name: 'OpenAI long context: past 272K input the whole request pays the higher rate',
    // gpt-5.4 $2.50 / $15 up to 272K input, $5 / $22.50 past it, for every token of the request:
    // 300000×5 + 1000×22.5 = 1500000 + 22500 = 1522500 per 1M → $1.5225
    provider: OPENAI,
    model: 'gpt-5.4',
    at: AT,
    usage: u({ inputTokens: 300_000, outputTokens: 1000 }),
    hand: 1.5225,
    wire: {
      endpoint: 'chat',
      priceProvider: 'openai',
      usage: { prompt_tokens: 300_000, completion_tokens: 1000, total_tokens: 301_000 },
    },
  },
  {
    name: 'OpenAI transcription: audio input tokens at the audio rate',
    // gpt-4o-mini-transcribe $1.25 text in / $3 audio in / $5 out:
    // 100×1.25 + 900×3 + 200×5 = 125 + 2700 + 1000 = 3825 per 1M → $0.003825
    provider: OPENAI,
    model: 'gpt-4o-mini-transcribe',
    at: AT,
    usage: u({ inputTokens: 1000, inputAudioTokens: 900, outputTokens: 200 }),
    hand: 0.003825,
  },
  {
    name: 'OpenAI whisper-1 by the minute',
    // whisper-1 $0.006 per minute: 90 s = 1.5 min → $0.009
    provider: OPENAI,
    model: 'whisper-1',
    at: AT,
    usage: u({ audioSeconds: 90 }),
    hand: 0.009,
  },
  {
    name: 'OpenAI code interpreter: a 4 GB container at its session price',
    // gpt-5 $1.25 in / $10 out per 1M; a 4 GB container $0.12 per 20-minute session (OpenAI
    // pricing as quoted at simoncarter.ai and modeldex.dev, read 2026-11-29; container-fees.ts):
    // 8×1.25 + 1000×10 = 10010 per 1M → $0.01001, + $0.12 → $0.13001
    provider: OPENAI,
    model: 'gpt-5',
    at: AT,
    usage: u({ inputTokens: 8, outputTokens: 1000, containers: 1, containerMemoryGb: 4 }),
    hand: 0.13001,
  },
  {
    name: 'Code interpreter containers where no container fee is known: unpriced, not $0',
    provider: XAI,
    model: 'grok-4',
    at: AT,
    usage: u({ inputTokens: 8, outputTokens: 1000, containers: 1, containerMemoryGb: 1 }),
    hand: null,
  },
  {
    name: 'OpenAI image generation: image tokens at the image rates',
    // gpt-image-1 $5 text in / $10 image in / $40 image out:
    // 50×5 + 500×10 + 4160×40 = 250 + 5000 + 166400 = 171650 per 1M → $0.17165
    provider: OPENAI,
    model: 'gpt-image-1',
    at: AT,
    usage: u({ inputTokens: 550, inputImageTokens: 500, outputTokens: 4160, outputImageTokens: 4160 }),
    hand: 0.17165,
  },
  {
    name: 'OpenAI per-image billing the catalog has no unit for: unpriced, not $0',
    provider: OPENAI,
    model: 'dall-e-3',
    at: AT,
    usage: u({ images: 1 }),
    hand: null,
  },
  {
    name: 'OpenAI audio tokens on a model whose audio price the catalog lacks: unpriced, not the text rate',
    provider: OPENAI,
    model: 'gpt-4o-audio-preview',
    at: AT,
    usage: u({ inputTokens: 300, inputAudioTokens: 200, outputTokens: 100, outputAudioTokens: 80 }),
    hand: null,
  },
  {
    name: 'OpenAI priority tier',
    // gpt-5 priority $2.50 in / $20 out (https://openai.com/api-priority-processing/, read
    // 2026-11-27): 1000×2.5 + 100×20 = 2500 + 2000 = 4500 per 1M → $0.0045
    provider: OPENAI,
    model: 'gpt-5',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100, serviceTier: 'priority' }),
    hand: 0.0045,
    wire: {
      endpoint: 'chat',
      priceProvider: 'openai',
      top: { service_tier: 'priority' },
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
    },
  },
  {
    name: 'OpenAI flex tier: Batch API rates, half of standard',
    // gpt-5 at half of $1.25 / $10 (https://developers.openai.com/api/docs/guides/flex-processing,
    // read 2026-11-27): 1000×0.625 + 100×5 = 625 + 500 = 1125 per 1M → $0.001125
    provider: OPENAI,
    model: 'gpt-5',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100, serviceTier: 'flex' }),
    hand: 0.001125,
  },
  {
    name: 'OpenAI priority on a model with no published priority price: unpriced',
    provider: OPENAI,
    model: 'gpt-4o-mini',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100, serviceTier: 'priority' }),
    hand: null,
  },
  // -------- Anthropic (https://platform.claude.com/docs/en/about-claude/pricing, read 2026-11-27) --------
  {
    name: 'Anthropic 5-minute cache writes and cache reads',
    // claude-sonnet-4-5 $3 in / $3.75 5m write / $0.30 read / $15 out:
    // 100×3 + 1000×3.75 + 2000×0.30 + 50×15 = 300 + 3750 + 600 + 750 = 5400 per 1M → $0.0054
    provider: ANTHROPIC,
    model: 'claude-sonnet-4-5-20250929',
    at: AT,
    usage: u({ inputTokens: 3100, cachedInputTokens: 2000, cacheWriteTokens: 1000, outputTokens: 50 }),
    hand: 0.0054,
    wire: {
      endpoint: 'messages',
      priceProvider: 'anthropic',
      usage: {
        input_tokens: 100,
        cache_creation_input_tokens: 1000,
        cache_read_input_tokens: 2000,
        output_tokens: 50,
      },
    },
  },
  {
    name: 'Anthropic 5-minute and 1-hour cache writes in one request',
    // claude-haiku-4-5 $1 in / $1.25 5m write / $2 1h write / $0.10 read / $5 out:
    // 500×1 + 1000×1.25 + 2000×2 + 4000×0.10 + 300×5 = 500 + 1250 + 4000 + 400 + 1500
    // = 7650 per 1M → $0.00765
    provider: ANTHROPIC,
    model: 'claude-haiku-4-5',
    at: AT,
    usage: u({
      inputTokens: 7500,
      cachedInputTokens: 4000,
      cacheWriteTokens: 3000,
      cacheWrite1hTokens: 2000,
      outputTokens: 300,
    }),
    hand: 0.00765,
    wire: {
      endpoint: 'messages',
      priceProvider: 'anthropic',
      usage: {
        input_tokens: 500,
        cache_creation_input_tokens: 3000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
        cache_read_input_tokens: 4000,
        output_tokens: 300,
      },
    },
  },
  {
    name: 'Anthropic web search fees',
    // claude-sonnet-4-5 $3 / $15 plus $10 per 1,000 searches:
    // 2000×3 + 400×15 = 12000 per 1M = $0.012, + 3 × $0.01 = $0.042
    provider: ANTHROPIC,
    model: 'claude-sonnet-4-5',
    at: AT,
    usage: u({ inputTokens: 2000, outputTokens: 400, webSearchRequests: 3 }),
    hand: 0.042,
    wire: {
      endpoint: 'messages',
      priceProvider: 'anthropic',
      usage: { input_tokens: 2000, output_tokens: 400, server_tool_use: { web_search_requests: 3 } },
    },
  },
  {
    name: 'Anthropic long context: past 200K input the whole request pays the higher rate',
    // claude-sonnet-4-5 past 200K input: $6 in / $22.50 out:
    // 250000×6 + 1000×22.5 = 1500000 + 22500 = 1522500 per 1M → $1.5225
    provider: ANTHROPIC,
    model: 'claude-sonnet-4-5',
    at: AT,
    usage: u({ inputTokens: 250_000, outputTokens: 1000 }),
    hand: 1.5225,
    wire: {
      endpoint: 'messages',
      priceProvider: 'anthropic',
      usage: { input_tokens: 250_000, output_tokens: 1000 },
    },
  },
  {
    name: 'Anthropic claude-opus-4-6 is not claude-opus-4',
    // claude-opus-4-6 $5 / $25: 1000×5 + 1000×25 = 30000 per 1M → $0.03 (opus-4: $0.09)
    provider: ANTHROPIC,
    model: 'claude-opus-4-6',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 1000 }),
    hand: 0.03,
  },
  {
    name: 'Anthropic fast mode and US-only inference',
    // claude-opus-4-6 fast mode $30 / $150 (https://platform.claude.com/docs/en/build-with-claude/fast-mode,
    // read 2026-11-27), × 1.1 for inference_geo "us" (https://support.claude.com/en/articles/15422948):
    // (1000×30 + 100×150) × 1.1 = 45000 × 1.1 = 49500 per 1M → $0.0495
    provider: ANTHROPIC,
    model: 'claude-opus-4-6',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100, serviceTier: 'fast', inferenceGeo: 'us' }),
    hand: 0.0495,
    wire: {
      endpoint: 'messages',
      priceProvider: 'anthropic',
      usage: { input_tokens: 1000, output_tokens: 100, speed: 'fast', inference_geo: 'us' },
    },
  },
  // --- Gemini via its OpenAI-compatible API (https://ai.google.dev/gemini-api/docs/pricing, read 2026-11-27) ---
  {
    name: 'Gemini 2.5 Pro',
    // $1.25 in / $10 out up to 200K: 10000×1.25 + 2000×10 = 12500 + 20000 = 32500 per 1M → $0.0325
    provider: GEMINI,
    model: 'gemini-2.5-pro',
    at: AT,
    usage: u({ inputTokens: 10_000, outputTokens: 2000 }),
    hand: 0.0325,
    wire: {
      endpoint: 'chat',
      priceProvider: 'google',
      usage: { prompt_tokens: 10_000, completion_tokens: 2000, total_tokens: 12_000 },
    },
  },
  {
    name: 'Gemini 2.5 Pro long context',
    // past 200K input: $2.50 in / $15 out: 250000×2.5 + 1000×15 = 625000 + 15000 = 640000 per 1M → $0.64
    provider: GEMINI,
    model: 'gemini-2.5-pro',
    at: AT,
    usage: u({ inputTokens: 250_000, outputTokens: 1000 }),
    hand: 0.64,
  },
  // -------------- xAI (https://docs.x.ai/docs/models, read 2026-11-27) --------------
  {
    name: 'xAI grok-4: reasoning reported outside completion_tokens is billed as output',
    // grok-4 $3 in / $0.75 cached / $15 out; output = 100 completion + 300 reasoning:
    // 800×3 + 200×0.75 + 400×15 = 2400 + 150 + 6000 = 8550 per 1M → $0.00855
    provider: XAI,
    model: 'grok-4',
    at: AT,
    usage: u({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 400, reasoningTokens: 300 }),
    hand: 0.00855,
    wire: {
      endpoint: 'chat',
      priceProvider: 'x-ai',
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 100,
        total_tokens: 1400,
        prompt_tokens_details: { cached_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 300 },
      },
    },
  },
  {
    name: 'xAI: the charge it reports (usage.cost_in_usd_ticks) is the cost',
    // 1 USD = 10^10 ticks, the amount billed (https://docs.x.ai/developers/cost-tracking, read
    // 2026-11-29). grok-4.20-0309-reasoning, whose ticks here are at $2 in / $0.20 cached / $6 out
    // (https://docs.x.ai/developers/models, read 2026-11-29; the next case prices it at today's
    // list price, which the ticks override); output = 300 + 1,200 reasoning:
    // 5,000×2 + 15,000×0.2 + 1,500×6 = 10,000 + 3,000 + 9,000 = 22,000 per 1M → $0.022
    provider: XAI,
    model: 'grok-4.20-0309-reasoning',
    at: AT,
    usage: u({
      inputTokens: 20_000,
      cachedInputTokens: 15_000,
      outputTokens: 1500,
      reasoningTokens: 1200,
      providerCostUsd: 0.022,
    }),
    hand: 0.022,
    wire: {
      endpoint: 'chat',
      priceProvider: 'x-ai',
      usage: {
        prompt_tokens: 20_000,
        completion_tokens: 300,
        total_tokens: 21_500,
        prompt_tokens_details: { cached_tokens: 15_000 },
        completion_tokens_details: { reasoning_tokens: 1200 },
        cost_in_usd_ticks: 220_000_000,
      },
    },
  },
  {
    name: "xAI: a name xAI lists for Grok 4.20 (grok-4.20-0309-non-reasoning) at that model's price",
    // "grok-4.20-0309-non-reasoning 2M $1.25 $0.20 $2.50" per 1M in / cached / out
    // (https://docs.x.ai/developers/pricing, read 2026-11-30); no cost_in_usd_ticks in the answer:
    // 8,000×1.25 + 2,000×0.20 + 800×2.50 = 10,000 + 400 + 2,000 = 12,400 per 1M → $0.0124
    provider: XAI,
    model: 'grok-4.20-0309-non-reasoning',
    at: AT,
    usage: u({ inputTokens: 10_000, cachedInputTokens: 2000, outputTokens: 800 }),
    hand: 0.0124,
    wire: {
      endpoint: 'chat',
      priceProvider: 'x-ai',
      usage: {
        prompt_tokens: 10_000,
        completion_tokens: 800,
        total_tokens: 10_800,
        prompt_tokens_details: { cached_tokens: 2000 },
      },
    },
  },
  {
    name: 'xAI: grok-4.20-multi-agent-0309 at the price xAI lists for that name, not the beta entry',
    // "grok-4.20-multi-agent-0309 ... $1.25 $0.20 $2.50" per 1M in / cached / out
    // (https://docs.x.ai/developers/pricing, read 2026-11-30; the catalog's grok-4.20-multi-agent
    // entry has the beta's $2 / $0.20 / $6): 8,000×1.25 + 2,000×0.20 + 800×2.50 = 10,000 + 400 +
    // 2,000 = 12,400 per 1M → $0.0124
    provider: XAI,
    model: 'grok-4.20-multi-agent-0309',
    at: AT,
    usage: u({ inputTokens: 10_000, cachedInputTokens: 2000, outputTokens: 800 }),
    hand: 0.0124,
    wire: {
      endpoint: 'chat',
      priceProvider: 'x-ai',
      usage: {
        prompt_tokens: 10_000,
        completion_tokens: 800,
        total_tokens: 10_800,
        prompt_tokens_details: { cached_tokens: 2000 },
      },
    },
  },
  {
    name: 'xAI: a near miss of a listed name (another date) stays unpriced',
    provider: XAI,
    model: 'grok-4.20-multi-agent-0310',
    at: AT,
    usage: u({ inputTokens: 10_000, outputTokens: 800 }),
    hand: null,
  },
  {
    name: 'xAI: the multi-agent beta name stays unpriced',
    provider: XAI,
    model: 'grok-4.20-multi-agent-beta-0309',
    at: AT,
    usage: u({ inputTokens: 10_000, outputTokens: 800 }),
    hand: null,
  },
  {
    name: 'xAI Responses without cost_in_usd_ticks: code execution and web search calls at their per-call fees',
    // "grok-4.20-0309-reasoning 2M $1.25 $0.20 $2.50" per 1M in / cached / out; "Code Execution
    // $5 / 1k calls (code_execution, code_interpreter)", "Web Search $5 / 1k calls"
    // (https://docs.x.ai/developers/pricing, read 2026-11-30). Tokens:
    // 8,000×1.25 + 2,000×0.20 + 800×2.50 = 10,000 + 400 + 2,000 = 12,400 per 1M → $0.0124;
    // calls: 2 code executions + 1 web search = 3 × $0.005 = $0.015; total $0.0274.
    // (Read as OpenAI containers, the two calls left it unpriced: xAI bills no container.)
    provider: XAI,
    model: 'grok-4.20-0309-reasoning',
    at: AT,
    usage: u({
      inputTokens: 10_000,
      cachedInputTokens: 2000,
      outputTokens: 800,
      codeExecutionCalls: 2,
      webSearchRequests: 1,
    }),
    hand: 0.0274,
    wire: {
      endpoint: 'responses',
      priceProvider: 'x-ai',
      usage: {
        input_tokens: 10_000,
        input_tokens_details: { cached_tokens: 2000 },
        output_tokens: 800,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 10_800,
      },
      top: {
        output: [
          {
            type: 'code_interpreter_call',
            id: 'ci_1',
            status: 'completed',
            code: 'print(1)',
            container_id: 'cntr_1',
          },
          { type: 'web_search_call', id: 'ws_1', status: 'completed' },
          {
            type: 'code_interpreter_call',
            id: 'ci_2',
            status: 'completed',
            code: 'print(2)',
            container_id: 'cntr_1',
          },
          { type: 'message', id: 'm_1', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] },
        ],
      },
    },
  },
  {
    name: 'xAI: grok-4.20-0309-reasoning past 200k prompt tokens, every token at the higher rate',
    // "Requests whose prompt reaches 200k tokens are billed at the higher rate for all tokens in the
    // request": $2.50 in / $0.40 cached / $5.00 out per 1M
    // (https://docs.x.ai/developers/models/grok-4.20-0309, read 2026-11-30); output = 100 + 400
    // reasoning, which xAI reports outside completion_tokens:
    // 200,000×2.50 + 10,000×0.40 + 500×5 = 500,000 + 4,000 + 2,500 = 506,500 per 1M → $0.5065
    provider: XAI,
    model: 'grok-4.20-0309-reasoning',
    at: AT,
    usage: u({ inputTokens: 210_000, cachedInputTokens: 10_000, outputTokens: 500, reasoningTokens: 400 }),
    hand: 0.5065,
    wire: {
      endpoint: 'chat',
      priceProvider: 'x-ai',
      usage: {
        prompt_tokens: 210_000,
        completion_tokens: 100,
        total_tokens: 210_500,
        prompt_tokens_details: { cached_tokens: 10_000 },
        completion_tokens_details: { reasoning_tokens: 400 },
      },
    },
  },
  // ------ DeepSeek (https://api-docs.deepseek.com/quick_start/pricing, read 2026-11-15) ------
  {
    name: 'DeepSeek cache hits and misses, off-peak',
    // deepseek-v4-pro off-peak $0.022 hit / $0.66 miss / $1.98 out:
    // 600×0.022 + 400×0.66 + 200×1.98 = 13.2 + 264 + 396 = 673.2 per 1M → $0.0006732
    provider: DEEPSEEK,
    model: 'deepseek-v4-pro',
    at: AT,
    usage: u({ inputTokens: 1000, cachedInputTokens: 600, outputTokens: 200 }),
    hand: 0.0006732,
    wire: {
      endpoint: 'chat',
      priceProvider: 'deepseek',
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 200,
        total_tokens: 1200,
        prompt_cache_hit_tokens: 600,
        prompt_cache_miss_tokens: 400,
      },
    },
  },
  {
    name: 'DeepSeek peak hours (01:00–04:00 UTC) at twice the off-peak rate',
    // deepseek-v4-pro peak $0.044 hit / $1.32 miss / $3.96 out:
    // 600×0.044 + 400×1.32 + 200×3.96 = 26.4 + 528 + 792 = 1346.4 per 1M → $0.0013464
    provider: DEEPSEEK,
    model: 'deepseek-v4-pro',
    at: '2026-11-27T02:00:00.000Z',
    usage: u({ inputTokens: 1000, cachedInputTokens: 600, outputTokens: 200 }),
    hand: 0.0013464,
  },
  // ------ OpenRouter (https://openrouter.ai/docs/use-cases/usage-accounting, read 2026-11-27) ------
  {
    name: "OpenRouter: the provider's own usage.cost is the cost",
    provider: OPENROUTER,
    model: 'anthropic/claude-sonnet-4.5',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100, providerCostUsd: 0.0045123 }),
    hand: 0.0045123,
    wire: {
      endpoint: 'chat',
      priceProvider: 'openrouter',
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, cost: 0.0045123 },
    },
  },
  {
    name: 'OpenRouter without usage.cost: its own catalog price',
    // anthropic/claude-sonnet-4.5 on OpenRouter at Anthropic's $3 / $15 (https://openrouter.ai/anthropic/claude-sonnet-4.5):
    // 1000×3 + 100×15 = 4500 per 1M → $0.0045
    provider: OPENROUTER,
    model: 'anthropic/claude-sonnet-4.5',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 100 }),
    hand: 0.0045,
    wire: {
      endpoint: 'chat',
      priceProvider: 'openrouter',
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
    },
  },
  // ------ Perplexity (stored copy of perplexity.mintlify.app/guides/models/sonar, read 2026-11-30) ------
  // Sonar: $1 in / $1 out per 1M, and "Price per 1,000 Requests $12 $8 $5" at search context size
  // high / medium / low. The catalog prices every request at the high fee (its own note: "we just
  // take the highest price shown"), so these cases ask for high. The fee is per request, whatever
  // the tokens: priced as one, not as tokens (the first case sets the rates both are priced at).
  {
    name: 'Perplexity sonar, search context high: tokens plus the per-request fee (a large request)',
    // 100,000×1 + 1,000×1 = 101,000 per 1M → $0.101, + $12 / 1,000 requests → $0.012: $0.113
    // (was $60.101 here and $1.301 in another order: the fee spread over the input of the first
    // request priced, as if per token)
    provider: PERPLEXITY,
    model: 'sonar',
    at: AT,
    usage: u({ inputTokens: 100_000, outputTokens: 1000 }),
    hand: 0.113,
    wire: {
      endpoint: 'chat',
      priceProvider: 'perplexity',
      usage: {
        prompt_tokens: 100_000,
        completion_tokens: 1000,
        total_tokens: 101_000,
        search_context_size: 'high',
      },
    },
  },
  {
    name: 'Perplexity sonar, search context high: a small request still pays the whole fee',
    // 10×1 + 10×1 = 20 per 1M → $0.00002, + $0.012 = $0.01202 (was $0.0000212 or $0.00602, by
    // the first request priced: the fee all but lost, and a reservation of a small request held none of it)
    provider: PERPLEXITY,
    model: 'sonar',
    at: AT,
    usage: u({ inputTokens: 10, outputTokens: 10 }),
    hand: 0.01202,
    wire: {
      endpoint: 'chat',
      priceProvider: 'perplexity',
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20, search_context_size: 'high' },
    },
  },
  {
    name: 'Perplexity: the charge it reports (usage.cost.total_cost) is the cost, its search context fee included',
    // Perplexity's usage carries `cost` in USD, with `total_cost` the whole charge (its API's
    // UsageInfo / Cost schemas, schemas.apis.io/schemas/perplexity, read 2026-11-30). Sonar at
    // search context low: 1,000×1 + 500×1 = 1,500 per 1M → $0.0015, + $5 / 1,000 requests →
    // $0.005: $0.0065 (perplexity.mintlify.app/guides/models/sonar, read 2026-11-30). The catalog
    // alone charges every request the high fee: $0.0015 + $0.012 = $0.0135, $0.007 over.
    provider: PERPLEXITY,
    model: 'sonar',
    at: AT,
    usage: u({ inputTokens: 1000, outputTokens: 500, providerCostUsd: 0.0065 }),
    hand: 0.0065,
    wire: {
      endpoint: 'chat',
      priceProvider: 'perplexity',
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        search_context_size: 'low',
        cost: {
          input_tokens_cost: 0.001,
          output_tokens_cost: 0.0005,
          request_cost: 0.005,
          total_cost: 0.0065,
        },
      },
    },
  },
];
