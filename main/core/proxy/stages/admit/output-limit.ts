// Step 2 of admit: the output a request may write — its own limit per answer (or the model's
// maximum when it names none, where a budget or a TPM limit needs one) × its answers — and, once
// admitted, the limit Shimmy chose written into the body sent upstream, with the headers that say
// it was lowered.
import type { Tool } from '../../../../../shared/config.js';
import type { Endpoint } from '../../../../../shared/usage.js';
import { imageOutputTokens } from '../../../limits/image-output-tokens.js';
import { chainMaxOutput, type ModelMaxOutput } from '../../../limits/model-max-output.js';
import type { Reservation } from '../../../limits/index.js';
import type { OutputPlan } from '../../../limits/output-cap.js';
import { outputLimitEdits, readOutputLimit } from '../../../limits/output-limit-field.js';
import { OPENAI_HOSTED } from '../../../limits/reserved-input-tokens.js';
import type { PriceMatch } from '../../../pricing/index.js';
import type { RouteTarget } from '../../../route/resolve-provider.js';
import { isObject } from '../../request-meta.js';
import { generates } from './endpoints.js';
import { chainModels } from './model-chain.js';
import { capRefusal } from './refusals.js';

/** Output tokens counted for a request that names no output limit where nothing else bounds it
 *  (no TPM limit: RPM, a budget's audio, the journal's estimate). Under a TPM limit such a request
 *  is counted, and sent, at the most its minute can hold instead (see `tpm` below). */
export const TPM_OUTPUT_ESTIMATE = 4096;

/** Response header: the output limit Shimmy lowered the request to, per answer (README, Headers). */
export const CAPPED_HEADER = 'x-shimmy-max-tokens-capped';
/** Response header: the `max_tool_calls` Shimmy lowered the request's to. */
export const CALLS_CAPPED_HEADER = 'x-shimmy-max-tool-calls-capped';

const UNBUDGETED_MAX: ModelMaxOutput = { tokens: TPM_OUTPUT_ESTIMATE, source: 'default' };

export interface OutputLimit {
  /** The request's own output limit per answer, if it names one. */
  requested: number | undefined;
  /** Answers it asks for (`n`, images). */
  choices: number;
  /** The tool's TPM limit, where it bounds an answer that names no output limit. */
  tpm: number | undefined;
  /** The smallest maximum output of the models that may serve it (a budget or `tpm` only). */
  max: ModelMaxOutput;
  /** Output tokens per answer it may use uncapped: `requested`, else `max`. */
  wanted: number;
}

export function outputLimitOf(x: {
  endpoint: Endpoint;
  json: unknown;
  tool: Tool;
  budgeted: boolean;
  model: string;
  chain: readonly RouteTarget[];
}): OutputLimit {
  const { endpoint, json } = x;
  // Embeddings write nothing; images have no output limit to lower but a known worst case per
  // image (by size, quality, `n`); audio is reserved at TPM_OUTPUT_ESTIMATE output tokens (see
  // the README's Budgets section).
  let requested: number | undefined;
  let choices = 1;
  if (generates(endpoint)) ({ requested, choices } = readOutputLimit(endpoint, json));
  else if (endpoint === 'images') {
    const images = imageOutputTokens(json);
    requested = images.perImage;
    choices = images.images;
  } else requested = endpoint === 'embeddings' ? 0 : TPM_OUTPUT_ESTIMATE;
  // A TPM limit bounds an answer that names no output limit: it is counted, and sent upstream, at
  // the model's maximum lowered to what one minute holds after its input. Counted at 4,096 and
  // sent unbounded, answers of 50,008 tokens got 150,024 through a 10,000 TPM in three minutes
  // (test/integration/tpm-unbounded-answer.test.ts).
  const tpm = generates(endpoint) && requested === undefined ? x.tool.limits.tpm : undefined;
  // The model's maximum matters only to a USD budget and to such a TPM: the smallest of the models
  // that may serve it, since the limit written goes to each.
  const max =
    x.budgeted || tpm !== undefined ? chainMaxOutput(chainModels(x.model, x.chain)) : UNBUDGETED_MAX;
  return { requested, choices, tpm, max, wanted: requested ?? max.tokens };
}

/** What goes upstream and back once admitted: the members to splice into the client's bytes, the
 *  output the upstream is bound to, and the headers that say what Shimmy lowered. */
export interface WrittenLimit {
  upstreamEdits?: Record<string, string>;
  outputCap?: number;
  headers: Record<string, string>;
}

/** The built-in tool calls a reservation counted (web-search-uses.ts, image-tool-calls.ts). */
export interface CallsWritten {
  /** Members bounding the searches the request did not bound. */
  searchEdits: Record<string, string> | undefined;
  /** How a calls bound is written, when one applies. */
  write: ((n: number) => Record<string, string>) | undefined;
  /** The calls the request itself named, when Shimmy did not write the bound. */
  named: number | undefined;
  /** The calls the reservation paid for. */
  calls: number;
}

/** OpenAI itself (and Azure's OpenAI) read `max_completion_tokens`; other servers of the Chat
 *  Completions API may read only `max_tokens` (DeepSeek writes up to its default, 4,096, past a
 *  max_completion_tokens it ignores), so a limit a reservation counts is written there too. */
const notOpenAi = (endpoint: string, price: PriceMatch | undefined) =>
  endpoint === 'chat' && price !== undefined && !OPENAI_HOSTED.has(price.provider);

/** Writes into `out` the limit the reservation paid for (`limit`, per answer). Throws capRefusal
 *  when the body cannot carry it, the reservation released first. */
export function writeOutputLimit(
  out: WrittenLimit,
  x: {
    endpoint: Endpoint;
    json: unknown;
    model: string;
    tool: Tool;
    price: PriceMatch | undefined;
    budgeted: boolean;
    output: OutputLimit;
    plan: OutputPlan | null;
    limit: number;
    calls: CallsWritten;
    reservation: Reservation;
  },
): void {
  const { endpoint, json, plan, limit, tool } = x;
  const { requested, choices, tpm, max, wanted } = x.output;
  // The upstream limit is what the reservation paid for (and what TPM counted): written whenever
  // Shimmy chose it (lowered, or a known model maximum where the request named none), so no answer
  // can run past it. An unknown model's default maximum is not written: the upstream might reject
  // a limit above its own.
  const sized = plan !== null || tpm !== undefined;
  const lowered = (plan !== null && plan.kind !== 'fits') || (tpm !== undefined && limit < max.tokens);
  const chosen = sized && requested === undefined && max.source !== 'default';
  if (sized && isObject(json) && (lowered || chosen)) {
    const edits = outputLimitEdits(endpoint, json, x.model, limit);
    if (typeof edits === 'string') {
      x.reservation.release();
      // Named for what set the limit: the budget lowered it, or the TPM limit did (the budget
      // then paid for all of it), or it is the model's maximum.
      const setBy =
        plan && plan.kind !== 'fits' ? 'budget' : tpm !== undefined && limit < wanted ? 'tpm' : 'model';
      throw capRefusal(tool, limit, setBy, plan !== null, edits);
    }
    out.upstreamEdits = edits;
    if (lowered) out.headers[CAPPED_HEADER] = String(limit);
    out.outputCap = limit * choices;
  } else if (generates(endpoint) && requested !== undefined) {
    out.outputCap = requested * choices;
  }
  // The limit that goes upstream as max_completion_tokens (Shimmy's edit, else the client's) goes
  // as max_tokens too where the server may read only that (notOpenAi): a budget paid for it, a
  // TPM limit counted it (openai-compatible-output-limit.test.ts).
  if (
    (x.budgeted || tool.limits.tpm !== undefined) &&
    isObject(json) &&
    !('max_tokens' in json) &&
    notOpenAi(endpoint, x.price)
  ) {
    const sent =
      out.upstreamEdits?.max_completion_tokens ??
      ('max_completion_tokens' in json && requested !== undefined ? String(requested) : undefined);
    if (sent !== undefined) out.upstreamEdits = { ...out.upstreamEdits, max_tokens: sent };
  }
  const { searchEdits, write, named, calls } = x.calls;
  // Searches the request did not bound go with the bound its reservation counted (max_uses on
  // each Anthropic web search tool, the Responses API's max_tool_calls).
  if (searchEdits) out.upstreamEdits = { ...out.upstreamEdits, ...searchEdits };
  // And the built-in tool calls the budget could pay for, when not what the request named.
  if (write && calls !== named) out.upstreamEdits = { ...out.upstreamEdits, ...write(calls) };
  if (named !== undefined && calls < named) out.headers[CALLS_CAPPED_HEADER] = String(calls);
}
