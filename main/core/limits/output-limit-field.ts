// Where each API keeps a request's output limit, how many answers it asks for, and how to write a
// lower limit into the body sent upstream. Reasoning counts toward that limit everywhere:
// OpenAI's max_completion_tokens and the Responses API's max_output_tokens bound reasoning plus
// answer; Anthropic's max_tokens includes thinking, whose budget_tokens must stay below it; Gemini's
// maxOutputTokens includes thoughts, and a thinkingBudget above it is lowered with it.
import type { Endpoint } from '../../../shared/usage.js';
import { bareModel } from '../route/bare-model.js';
import { fallbackEntries } from './body-fallbacks.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A JSON count: a positive integer, else undefined. */
export const positiveInt = (x: unknown): number | undefined =>
  typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined;
/** A count (of answers, or an output limit) as a server may read it: a number, or a numeric string
 *  (pydantic's lax mode, Google's proto3 JSON mapping of int32). Reading a count a strict server
 *  would reject is only ever a larger reservation; missing one a lax server reads let
 *  `max_tokens: "1000000"` past a reservation at the default maximum
 *  (test/integration/lax-output-limit.test.ts: $10.00 billed on $2). */
export const laxCount = (x: unknown): number | undefined =>
  positiveInt(typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x);

const largerLimit = (a: unknown, b: unknown): number | undefined => {
  const x = laxCount(a);
  const y = laxCount(b);
  return x === undefined ? y : y === undefined ? x : Math.max(x, y);
};

/** Anthropic: the smallest thinking budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;

export interface OutputLimit {
  /** The limit per answer the request names, or undefined (then the model's maximum applies). */
  requested: number | undefined;
  /** Answers the request asks for (`n`, `best_of`, Gemini `candidateCount`): each may use the limit. */
  choices: number;
}

const isGeminiBody = (b: Json) =>
  Array.isArray(b.contents) || isObject(b.generationConfig) || isObject(b.generation_config);
/** The REST API takes `generationConfig` and `generation_config` alike (and their fields in either
 *  spelling). A body may hold both: which one the server reads is not documented, so the larger
 *  limit is reserved and every spelling present is lowered (red15: a reservation for 200 sent on
 *  with 60,000 beside it). With neither, a limit is written as `generationConfig`. */
const geminiConfigKeys = (b: Json): Array<'generationConfig' | 'generation_config'> => {
  const keys = (['generationConfig', 'generation_config'] as const).filter((k) => isObject(b[k]));
  return keys.length > 0 ? keys : ['generationConfig'];
};

export function readOutputLimit(endpoint: Endpoint, body: unknown): OutputLimit {
  if (!isObject(body)) return { requested: undefined, choices: 1 };
  if (isGeminiBody(body) && endpoint !== 'chat' && endpoint !== 'messages') {
    let requested: number | undefined;
    let choices = 1;
    for (const key of geminiConfigKeys(body)) {
      const c = isObject(body[key]) ? (body[key] as Json) : {};
      requested = largerLimit(requested, largerLimit(c.maxOutputTokens, c.max_output_tokens));
      choices = Math.max(choices, largerLimit(c.candidateCount, c.candidate_count) ?? 1);
    }
    return { requested, choices };
  }
  switch (endpoint) {
    case 'responses':
      return { requested: laxCount(body.max_output_tokens), choices: 1 };
    case 'messages':
      // A server-side fallback entry's own max_tokens replaces the request's for its hop.
      return {
        requested: fallbackEntries(body).reduce<number | undefined>(
          (most, e) => largerLimit(most, isObject(e) ? e.max_tokens : undefined),
          laxCount(body.max_tokens),
        ),
        choices: 1,
      };
    case 'chat':
    case 'completions':
      return {
        // OpenAI rejects both at once, but OpenAI-compatible servers read one or the other
        // (DeepSeek only max_tokens): with both, the larger is what the answer may use.
        requested: largerLimit(body.max_completion_tokens, body.max_tokens),
        choices: Math.max(laxCount(body.n) ?? 1, laxCount(body.best_of) ?? 1),
      };
    default:
      return { requested: undefined, choices: 1 };
  }
}

/** OpenAI's reasoning models refuse `max_tokens` on chat; other OpenAI-compatible servers (Groq,
 *  DeepSeek, Mistral, Ollama…) may not know `max_completion_tokens`. */
const OPENAI_REASONING = /^(o\d|gpt-5|codex-)/;

/** The top-level members to set so that `body`'s output limit is `limit` per answer (and its
 *  thinking budget fits under it), or a string saying why no such body can be sent. Only these
 *  members change: the admit stage splices them into the client's own bytes (proxy/splice-json.ts),
 *  so a capped 20 MB body is not re-serialized whole. */
export function outputLimitMembers(
  endpoint: Endpoint,
  body: Json,
  model: string,
  limit: number,
): Json | string {
  if (isGeminiBody(body) && endpoint !== 'chat' && endpoint !== 'messages') {
    const members: Json = {};
    for (const key of geminiConfigKeys(body)) {
      const g = isObject(body[key]) ? (body[key] as Json) : {};
      const out: Json = { ...g, maxOutputTokens: limit };
      delete out.max_output_tokens;
      // Each thinking config present, each budget spelling in it, kept below the limit.
      for (const tKey of ['thinkingConfig', 'thinking_config']) {
        const t = g[tKey];
        if (!isObject(t)) continue;
        const lowered: Json = { ...t };
        for (const budgetKey of ['thinkingBudget', 'thinking_budget']) {
          const budget = laxCount(t[budgetKey]);
          if (budget !== undefined && budget >= limit) lowered[budgetKey] = limit - 1;
        }
        out[tKey] = lowered;
      }
      members[key] = out;
    }
    return members;
  }
  switch (endpoint) {
    case 'responses':
      return { max_output_tokens: limit };
    case 'messages':
      return anthropicLimit(body, limit);
    case 'chat': {
      // Both named: both lowered, whichever one the server reads.
      if ('max_completion_tokens' in body && 'max_tokens' in body)
        return { max_completion_tokens: limit, max_tokens: limit };
      const name = bareModel(model);
      const key =
        'max_completion_tokens' in body || (!('max_tokens' in body) && OPENAI_REASONING.test(name))
          ? 'max_completion_tokens'
          : 'max_tokens';
      return { [key]: limit };
    }
    case 'completions':
      return { max_tokens: limit };
    default:
      return {};
  }
}

/** As outputLimitMembers, as serialized values for spliceMembers/splicePieces. */
export function outputLimitEdits(
  endpoint: Endpoint,
  body: Json,
  model: string,
  limit: number,
): Record<string, string> | string {
  const members = outputLimitMembers(endpoint, body, model, limit);
  if (typeof members === 'string') return members;
  const edits: Record<string, string> = {};
  for (const [k, v] of Object.entries(members)) edits[k] = JSON.stringify(v);
  return edits;
}

/** A copy of `body` with its output limit lowered (what the provider reads once the edits are in). */
export function withOutputLimit(endpoint: Endpoint, body: Json, model: string, limit: number): Json | string {
  const members = outputLimitMembers(endpoint, body, model, limit);
  return typeof members === 'string' ? members : { ...body, ...members };
}

/** Anthropic extended thinking: budget_tokens must stay below max_tokens and at least 1,024. A
 *  lowered max_tokens keeps the request's ratio of thinking to answer. */
function anthropicLimit(body: Json, limit: number): Json | string {
  const members: Json = { max_tokens: limit, ...fallbackLimits(body, limit) };
  const thinking = isObject(body.thinking) ? body.thinking : undefined;
  const budget = thinking?.type === 'enabled' ? positiveInt(thinking.budget_tokens) : undefined;
  if (!thinking || budget === undefined || budget < limit) return members;
  const asked = positiveInt(body.max_tokens) ?? limit;
  const scaled = Math.max(MIN_THINKING_BUDGET, Math.floor((budget * limit) / Math.max(asked, limit)));
  const lowered = Math.min(scaled, limit - 1);
  if (lowered < MIN_THINKING_BUDGET)
    return `extended thinking needs at least ${MIN_THINKING_BUDGET + 1} output tokens`;
  return { ...members, thinking: { ...thinking, budget_tokens: lowered } };
}

/** Server-side fallback entries whose own max_tokens passes `limit`, lowered to it (the hop they
 *  run would otherwise write past what the reservation paid for); nothing when none does. */
function fallbackLimits(body: Json, limit: number): Json {
  const entries = fallbackEntries(body);
  const over = (e: unknown) => isObject(e) && (laxCount(e.max_tokens) ?? 0) > limit;
  if (!entries.some(over)) return {};
  return { fallbacks: entries.map((e) => (over(e) ? { ...(e as Json), max_tokens: limit } : e)) };
}
