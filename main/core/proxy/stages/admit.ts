// Stage 5, admit: one atomic check-and-reserve of the request's worst-case cost against the
// tool's and the global budgets, and of its tokens against RPM/TPM — synchronous in one tick with
// the in-memory limiter, one Lua script with Redis — so concurrent requests cannot slip past each
// other. With a USD budget, the output limit is sized
// to what the budget has left (limits/output-cap.ts) and written into the body sent upstream, so
// the reservation bounds what the answer can cost; an unpriced model is refused unless the tool
// allows it.
import type { Config, Provider, Tool } from '../../../../shared/config.js';
import { addUsd } from '../../../../shared/money.js';
import { ZERO_USAGE } from '../../../../shared/usage.js';
import { hasUsdBudget, type Reservation } from '../../limits/index.js';
import { codeInterpreterContainers, withContainers } from '../../limits/code-interpreter-containers.js';
import { editImageTokens, jsonEditImages } from '../../limits/image-input-tokens.js';
import type { ImageSize } from '../../meter/image-size.js';
import { reserveImageTool, withImagePrompts } from '../../limits/image-tool-calls.js';
import { planOutput, type OutputPlan } from '../../limits/output-cap.js';
import { reservedInput } from '../../limits/reserved-input.js';
import { countingModel, namesModels } from '../../limits/body-fallbacks.js';
import {
  largestContextWindow,
  reservedInputTokens,
  widestContextWindow,
  type InputTokensAt,
} from '../../limits/reserved-input-tokens.js';
import { builtInToolCalls, mostCallsFitting, webSearchUses } from '../../limits/web-search-uses.js';
import { withXaiToolCalls } from '../../limits/xai-tool-calls.js';
import { withWebPlugin } from '../../limits/openrouter-web-plugin.js';
import type { PriceMatch } from '../../pricing/index.js';
import type { RouteTarget } from '../../route/resolve-provider.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { containersUnpricedRefusal, unpricedRefusal } from './admit/refusals.js';
import { bringsUnsizedInput } from '../unsized-input.js';
import { isObject } from '../request-meta.js';
import type { RecordDraft } from '../request-record.js';
import { priceModelChain } from './admit/model-chain.js';
import { generates, metered } from './admit/endpoints.js';
import { checkAndReserve } from './admit/check-and-reserve.js';
import { InputTokens } from './admit/input-tokens.js';
import { journalAdmitted } from './admit/journal.js';
import { outputLimitOf, TPM_OUTPUT_ESTIMATE, writeOutputLimit } from './admit/output-limit.js';

export { DEFAULT_MAX_OUTPUT_TOKENS } from '../../limits/model-max-output.js';
export { checkRecordable } from './admit/refusals.js';

export { CALLS_CAPPED_HEADER, CAPPED_HEADER, TPM_OUTPUT_ESTIMATE } from './admit/output-limit.js';
export { metered } from './admit/endpoints.js';

export interface Admitted {
  reservation: Reservation;
  price: PriceMatch | undefined;
  /** The request's input tokens, counted on first use (tokenizing costs real time); `atMost`: an
   *  upper bound will do (no tokenizer hand-over while nothing was counted). */
  inputEstimate: (atMost?: boolean) => number;
  /** A USD budget applies: the running cost of a stream is checked against it. */
  budgeted: boolean;
  /** Top-level members to splice into the client's bytes (serialized), when the output limit
   *  Shimmy chose must be written in: only those bytes change, the rest goes as sent. */
  upstreamEdits?: Record<string, string>;
  /** Headers for the client's response (the cap, when there is one). */
  headers: Record<string, string>;
  /** Output tokens the upstream is bound to (its limit × answers), when the body sent names it. */
  outputCap?: number;
  /** The body names its own fallback models (limits/body-fallbacks.ts): the answer may come from
   *  one of them. */
  bodyFallbacks?: true;
  /** The USD reserved: what a request the provider may have billed, unread, is charged at.
   *  A method, not a getter: an object literal with an accessor is built on V8's slow path, which
   *  cost every request a few µs (bench profile). */
  worstCaseUsd(): number | null;
}

export async function admit(
  deps: ProxyDeps,
  x: {
    config: Config;
    tool: Tool;
    draft: RecordDraft;
    json: unknown;
    provider: Provider;
    model: string;
    /** Where the request may go if the routed provider fails (its fallback chain). */
    fallbacks: readonly RouteTarget[];
    /** Size of the request body in bytes (the journal's estimate without a budget). */
    bodyLength?: number;
    /** A transcription's seconds of audio, where its file fixes them (limits/audio-seconds.ts):
     *  asked only when a budget prices them (it parses the form again, ~18 ms of CPU per MB). */
    audioSeconds?: () => Promise<number | undefined>;
    /** An image edit's input images by size (form-body.ts), read only when a budget prices them. */
    imageInputs?: () => Promise<Array<ImageSize | null>>;
    /** The context window the request asks for, wider than the model's (context-window.ts). */
    contextWindow?: number;
    /** The client chose its own OpenAI project or organization: the tier the provider's answers
     *  said does not hold for it (choosesProject). */
    ownProject?: boolean;
  },
): Promise<Admitted> {
  const { tool, draft, json, model } = x;
  const { family, endpoint } = draft;
  const s = x.config.settings;
  // Plan traffic is paid for by the plan: USD budgets never apply to it (its API-equivalent cost
  // is recorded apart), RPM/TPM still do.
  const budgeted = !tool.plan && hasUsdBudget(tool, s);
  const { price, named, chain, fallbackPrices, cost } = priceModelChain(deps.prices, {
    tool,
    endpoint,
    time: draft.time,
    json,
    provider: x.provider,
    model,
    fallbacks: x.fallbacks,
    budgeted,
    metered: metered(endpoint),
  });
  // Counted as a Claude model's when one may serve it (countingModel).
  const countAs =
    chain.length > 0
      ? countingModel(
          model,
          chain.map((t) => t.upstreamModel),
        )
      : model;
  const input = new InputTokens(family, endpoint, json, countAs, metered(endpoint));
  const inputEstimate = (atMost = false) => input.estimate(atMost);

  const output = outputLimitOf({ endpoint, json, tool, budgeted, model, chain });
  const { requested, choices, tpm, wanted } = output;
  // Without a USD budget nothing is sized or reserved in USD: no pricing on that path.
  const priced = budgeted && cost !== undefined && metered(endpoint);
  // Server-side web searches it may run, each billed apart (web-search-uses.ts).
  const searches = priced ? webSearchUses(family, endpoint, json) : { uses: 0 };
  // Images the Responses image generation tool may make, each billed at the image model's price
  // wherever the request is served (image-tool-calls.ts). An unpriced image model is refused like
  // an unpriced model, or reserved at $0 where the tool allows unpriced ones (its answer is then
  // unpriced too).
  const images = priced
    ? reserveImageTool(endpoint, json, {
        prices: deps.prices,
        providers: [x.provider, ...chain.map((t) => t.provider)],
        at: draft.time,
      })
    : undefined;
  if (images && 'unpriced' in images && !tool.limits.allowUnpriced)
    throw unpricedRefusal(tool, images.unpriced);
  const perImageUsd = images && 'usd' in images ? images.perImageUsd : 0;
  // The prompts the model writes for them are output the image model reads as well.
  const withPrompts = images && 'usd' in images && cost ? withImagePrompts(cost, images.promptUsd) : cost;
  // Code interpreter containers the request may create, each billed per session by its memory.
  const containers = priced ? codeInterpreterContainers(endpoint, json) : undefined;
  const withFees = withWebPlugin(withXaiToolCalls(withPrompts, price, json), price, model, json);
  const tokensCost = containers && withFees ? withContainers(withFees, containers) : withFees;
  if (containers && tokensCost?.({ ...ZERO_USAGE }) === null && !tool.limits.allowUnpriced)
    throw containersUnpricedRefusal(tool, x.provider.name);
  const maxImages = images && 'usd' in images ? images.images : 0;
  // The Responses API's built-in tool calls, each a billed search and/or an image, bounded by
  // max_tool_calls (the client's, or the one Shimmy writes), and an Anthropic web search tool's
  // max_uses: as many as the budget can pay for, up to that bound, as the output limit is sized —
  // lowered, not refused, while one call fits.
  const callsBound =
    endpoint === 'responses' && (searches.uses > 0 || maxImages > 0) && isObject(json)
      ? { ...builtInToolCalls(json), write: (n: number) => ({ max_tool_calls: String(n) }) }
      : searches.withUses
        ? { calls: searches.uses, edits: searches.edits, write: searches.withUses, floor: searches.minUses }
        : undefined;
  const maxCalls = callsBound?.calls ?? 0;
  const namedCalls = callsBound && !callsBound.edits ? callsBound.calls : undefined;
  // The tier OpenAI serves a request naming none at, as answers from this provider said.
  const projectTier = priced && !x.ownProject ? deps.servedTiers.unnamed(x.provider.name) : undefined;
  // A Responses continuation's (or an Anthropic thread's) stored conversation, billed as input
  // (stored-responses.ts): one Shimmy did not see is as long as the widest window that may serve
  // it. At the routed model's alone, a continuation routed to gpt-4o (128,000) failed over to
  // gpt-4.1 (1,000,000) and billed $2.006016 on a $1 budget
  // (test/integration/stored-conversation-budget.test.ts).
  const stored =
    priced && (endpoint === 'responses' || endpoint === 'messages')
      ? deps.storedResponses.continued(json, widestContextWindow(price, fallbackPrices, x.contextWindow))
      : 0;
  // Media whose length only the provider learns (a Gemini video by URI: unsized-input.ts): as much
  // input as the largest context window that may serve it. A 30-minute video reserved as 25,800
  // tokens billed 540,000 (test/integration/gemini-unsized-input.test.ts).
  // So is what server-side tools bring in (a fetched page, search results), unless a tool bounds it.
  // Then an input counted just under a long-context threshold is reserved past it.
  const inputTokensAt: InputTokensAt = priced
    ? reservedInputTokens({
        family,
        endpoint,
        body: json,
        models: [model, ...chain.map((t) => t.upstreamModel ?? '')],
        price,
        fallbackPrices,
        askedWindow: x.contextWindow,
        stored,
        unsized: () => bringsUnsizedInput(endpoint, json),
      })
    : (bodyInput) => bodyInput;
  // A transcription's input is its audio, which the form's text fields do not say. A model priced
  // by audio tokens (gpt-4o-transcribe) reads at most its context window of them; one priced by
  // the second (whisper-1) is bounded only by its file's seconds, which its size does not give (a
  // compressed file of silence is hours in a few kB): where the file fixes them (a PCM WAV's
  // samples, limits/audio-seconds.ts) it is reserved, and charged unread, at them; otherwise its
  // worst case stays null and the limiter lets one such request at a time through
  // (AdmitRequest.unbounded).
  const transcribes = priced && endpoint === 'audio_transcription';
  // Audio tokens it may be billed for: the largest context window of the models that may serve it,
  // or null when one has none (nothing then bounds the audio). Where the price has no audio-token
  // rate (whisper-1, by the second), pricing them gives null anyway.
  const audioTokens = transcribes ? largestContextWindow(price, fallbackPrices, null) : 0;
  const seconds = transcribes && audioTokens === null ? await x.audioSeconds?.() : undefined;
  // The images a gpt-image edit is given, billed as image input tokens (image-input-tokens.ts):
  // a form's files, or a JSON body's references.
  const imageInputTokens =
    priced && endpoint === 'images'
      ? editImageTokens(model, x.imageInputs ? await x.imageInputs() : jsonEditImages(json), json)
      : 0;
  const audioSecondsUsd =
    cost !== undefined && seconds !== undefined ? cost({ ...ZERO_USAGE, audioSeconds: seconds }) : null;
  /** The reservation for `bodyInput` tokens of the body's own input: its plan (output cap) and
   *  worst case. */
  const reserveAt = (bodyInput: number, headroomUsd: number | undefined, fixedCalls?: number) => {
    // TPM counts the body's own input (`bodyInput`), as without a budget: what tools may bring
    // in, a stored conversation and a long-context margin are bounds on the bill, which the USD
    // reservation holds; their tokens count for TPM when the answer says, from its settle
    // (rate-window.ts). Counted at the window they may reach, a web search on a TPM below it
    // was refused for ever, with a budget only (tpm-with-budget.test.ts).
    const wantedHere =
      tpm === undefined ? wanted : Math.min(wanted, Math.max(1, Math.floor((tpm - bodyInput) / choices)));
    // With `calls` built-in tool calls: the input with their searches (and what each brings in),
    // and the output limit sized to what their images leave.
    const withCalls = (calls: number) => {
      const searchCalls = callsBound && searches.uses > 0 ? calls : searches.uses;
      const inputTokens = inputTokensAt(bodyInput, searchCalls);
      const input =
        priced && tokensCost
          ? reservedInput(
              family,
              json,
              inputTokens,
              tokensCost,
              searchCalls,
              projectTier,
              searches.fileSearchOnly,
            )
          : null;
      const imageCount = maxImages > 0 ? calls : 0;
      const plan: OutputPlan | null =
        input && tokensCost && generates(endpoint)
          ? planOutput({
              cost: tokensCost,
              input: input.usage,
              wanted: wantedHere,
              choices,
              headroomUsd: headroomUsd === undefined ? undefined : headroomUsd - imageCount * perImageUsd,
            })
          : null;
      return { input, plan, imageCount, calls };
    };
    let at = withCalls(fixedCalls ?? maxCalls);
    // Fewer calls leave room for an answer that all of them would not: the most that do, down to one
    // (one per Anthropic web search tool).
    const floor = callsBound?.floor ?? 1;
    if (
      fixedCalls === undefined &&
      headroomUsd !== undefined &&
      at.calls > floor &&
      at.plan?.kind === 'refused'
    )
      at = mostCallsFitting(
        at.calls - 1,
        (c) => withCalls(Math.max(c, floor)),
        (c) => c.plan?.kind !== 'refused',
      );
    const { input, plan, imageCount } = at;
    const imagesUsd = imageCount * perImageUsd;
    const limit = plan ? plan.limit : wantedHere;
    const tokensUsd = !metered(endpoint)
      ? 0
      : plan
        ? plan.usd
        : input && cost && audioTokens !== null
          ? (cost({
              ...input.usage,
              ...(audioTokens > 0
                ? { inputTokens: input.usage.inputTokens + audioTokens, inputAudioTokens: audioTokens }
                : {}),
              outputTokens: wantedHere * choices,
              // gpt-image models bill their output as image tokens, dearer than text ones, and
              // an edit's input images as image input tokens.
              ...(endpoint === 'images' ? { outputImageTokens: wantedHere * choices } : {}),
              ...(imageInputTokens > 0
                ? {
                    inputTokens: input.usage.inputTokens + imageInputTokens,
                    inputImageTokens: imageInputTokens,
                  }
                : {}),
            }) ?? null)
          : transcribes
            ? // Priced, but not at tokens (whisper-1's seconds) or with no context window: only
              // the file's own seconds bound the cost, where they could be read.
              audioSecondsUsd
            : cost
              ? 0
              : null;
    const worstCaseUsd = tokensUsd === null || imagesUsd === 0 ? tokensUsd : addUsd(tokensUsd, imagesUsd);
    const estimatedTokens =
      bodyInput + Math.min(limit, requested ?? (tpm !== undefined ? limit : TPM_OUTPUT_ESTIMATE)) * choices;
    // A transcription with no worst case to reserve: its answer still counts against the budget.
    // (Any other priced request whose price cannot price its input is reserved at $0 as before:
    // its answer is unpriced too, e.g. a catalog entry with no rates, and never counts.)
    const unbounded = transcribes && worstCaseUsd === null;
    return { plan, worstCaseUsd, estimatedTokens, unbounded, calls: at.calls, limit };
  };
  const decision = checkAndReserve(deps, {
    tool,
    model,
    budgeted,
    priced,
    generates: generates(endpoint),
    maxCalls,
    input,
    reserveAt,
  });
  const { r, reservation, atTheBound } = decision instanceof Promise ? await decision : decision;
  const { plan } = r;
  const reservedUsd = r.worstCaseUsd;
  // Admitted at the bound: a request whose answer goes unread is charged its worst case at the
  // exact count (charge-unread.ts), counted only then, as when the count was made at admit.
  const worstAtCount = () =>
    atTheBound ? reserveAt(inputEstimate(), undefined, r.calls).worstCaseUsd : reservedUsd;

  const admitted: Admitted = {
    reservation,
    price,
    inputEstimate,
    budgeted,
    headers: {},
    worstCaseUsd: worstAtCount,
  };
  if (namesModels(named)) admitted.bodyFallbacks = true;
  writeOutputLimit(admitted, {
    endpoint,
    json,
    model,
    tool,
    price,
    budgeted,
    output,
    plan,
    limit: r.limit,
    calls: {
      searchEdits: searches.edits,
      write: callsBound?.write,
      named: namedCalls,
      calls: r.calls,
    },
    reservation,
  });
  journalAdmitted(deps, draft, tool, {
    reservedUsd,
    price,
    budgeted,
    bodyLength: x.bodyLength,
    outputCap: admitted.outputCap,
  });
  return admitted;
}
