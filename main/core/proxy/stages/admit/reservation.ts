// Step 3b of admit: what the request is reserved at for a given count of its body's input —
// that input with what it may also bring in (a stored conversation, tool results, unsized media,
// a transcription's audio, an image edit's images) at the tier it may be served at, the output
// it may write (capped to the budget's headroom), and its billed calls (billed-calls.ts), as many
// as fit — as the ReserveAt that check-and-reserve.ts prices at the input bound and the count.
import { addUsd } from '../../../../../shared/money.js';
import { ZERO_USAGE } from '../../../../../shared/usage.js';
import { editImageTokens, jsonEditImages } from '../../../limits/image-input-tokens.js';
import { planOutput, type OutputPlan } from '../../../limits/output-cap.js';
import { reservedInput } from '../../../limits/reserved-input.js';
import {
  largestContextWindow,
  reservedInputTokens,
  widestContextWindow,
  type InputTokensAt,
} from '../../../limits/reserved-input-tokens.js';
import { mostCallsFitting } from '../../../limits/web-search-uses.js';
import type { ImageSize } from '../../../meter/image-size.js';
import type { ProxyDeps } from '../../proxy-deps.js';
import { bringsUnsizedInput } from '../../unsized-input.js';
import type { BilledCalls, PricedRequest } from './billed-calls.js';
import type { ReserveAt } from './check-and-reserve.js';
import { generates, metered } from './endpoints.js';
import { TPM_OUTPUT_ESTIMATE, type OutputLimit } from './output-limit.js';

/** What the client's request asks beyond its body (admit's input). */
export interface ReservationAsks {
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
}

/** What the request's files add to its input, where a budget prices them. */
interface MediaInput {
  /** A transcription's seconds of audio, where its file fixes them. */
  seconds: number | undefined;
  /** An image edit's input images, as image input tokens. */
  imageInputTokens: number;
}

const NO_MEDIA: MediaInput = { seconds: undefined, imageInputTokens: 0 };

/** What the body's input is reserved with besides its own tokens, known before any file read. */
interface ReservedInput {
  /** The tier OpenAI serves it at where it names none (served-tiers.ts). */
  projectTier: string | undefined;
  inputTokensAt: InputTokensAt;
  /** A priced transcription: its audio is its input. */
  transcribes: boolean;
  /** Audio tokens it may be billed for; null when nothing bounds them. */
  audioTokens: number | null;
}

const UNPRICED_INPUT: ReservedInput = {
  projectTier: undefined,
  inputTokensAt: (bodyInput) => bodyInput,
  transcribes: false,
  audioTokens: 0,
};

/** The reservation at each input count. A promise only where a file must be read (a
 *  transcription's seconds, an image edit's form): the request without a budget reads none. */
export function reserveAtFor(
  deps: ProxyDeps,
  x: PricedRequest,
  output: OutputLimit,
  calls: BilledCalls,
  asks: ReservationAsks,
): ReserveAt | Promise<ReserveAt> {
  // Unpriced (no USD budget): the body's own input alone, at no tier, with no file to read.
  if (!x.priced) return reserveAtWith(x, output, calls, UNPRICED_INPUT, NO_MEDIA);
  const { endpoint, json } = x;
  // The tier OpenAI serves a request naming none at, as answers from this provider said.
  const projectTier = !asks.ownProject ? deps.servedTiers.unnamed(x.provider.name) : undefined;
  // A Responses continuation's (or an Anthropic thread's) stored conversation, billed as input
  // (stored-responses.ts): one Shimmy did not see is as long as the widest window that may serve
  // it. At the routed model's alone, a continuation routed to gpt-4o (128,000) failed over to
  // gpt-4.1 (1,000,000) and billed $2.006016 on a $1 budget
  // (test/integration/stored-conversation-budget.test.ts).
  const stored =
    endpoint === 'responses' || endpoint === 'messages'
      ? deps.storedResponses.continued(
          json,
          widestContextWindow(x.price, x.fallbackPrices, asks.contextWindow),
        )
      : 0;
  // Media whose length only the provider learns (a Gemini video by URI: unsized-input.ts): as much
  // input as the largest context window that may serve it. A 30-minute video reserved as 25,800
  // tokens billed 540,000 (test/integration/gemini-unsized-input.test.ts).
  // So is what server-side tools bring in (a fetched page, search results), unless a tool bounds it.
  // Then an input counted just under a long-context threshold is reserved past it.
  const inputTokensAt: InputTokensAt = reservedInputTokens({
    family: x.family,
    endpoint,
    body: json,
    models: [x.model, ...x.chain.map((t) => t.upstreamModel ?? '')],
    price: x.price,
    fallbackPrices: x.fallbackPrices,
    askedWindow: asks.contextWindow,
    stored,
    unsized: () => bringsUnsizedInput(endpoint, json),
  });
  // A transcription's input is its audio, which the form's text fields do not say. A model priced
  // by audio tokens (gpt-4o-transcribe) reads at most its context window of them; one priced by
  // the second (whisper-1) is bounded only by its file's seconds, which its size does not give (a
  // compressed file of silence is hours in a few kB): where the file fixes them (a PCM WAV's
  // samples, limits/audio-seconds.ts) it is reserved, and charged unread, at them; otherwise its
  // worst case stays null and the limiter lets one such request at a time through
  // (AdmitRequest.unbounded).
  const transcribes = endpoint === 'audio_transcription';
  // Audio tokens it may be billed for: the largest context window of the models that may serve it,
  // or null when one has none (nothing then bounds the audio). Where the price has no audio-token
  // rate (whisper-1, by the second), pricing them gives null anyway.
  const audioTokens = transcribes ? largestContextWindow(x.price, x.fallbackPrices, null) : 0;
  const inputs: ReservedInput = { projectTier, inputTokensAt, transcribes, audioTokens };
  const media = mediaInput(x, asks, transcribes && audioTokens === null);
  return media instanceof Promise
    ? media.then((m) => reserveAtWith(x, output, calls, inputs, m))
    : reserveAtWith(x, output, calls, inputs, media);
}

/** The files read only where a budget prices them: a transcription's seconds where no audio-token
 *  window bounds it, an image edit's images (a form's files, or a JSON body's references). */
function mediaInput(
  x: PricedRequest,
  asks: ReservationAsks,
  readsSeconds: boolean,
): MediaInput | Promise<MediaInput> {
  if (readsSeconds && asks.audioSeconds)
    return asks.audioSeconds().then((seconds) => ({ seconds, imageInputTokens: 0 }));
  if (x.endpoint !== 'images') return NO_MEDIA;
  const tokens = (images: Array<ImageSize | null>) => ({
    seconds: undefined,
    imageInputTokens: editImageTokens(x.model, images, x.json),
  });
  return asks.imageInputs ? asks.imageInputs().then(tokens) : tokens(jsonEditImages(x.json));
}

function reserveAtWith(
  x: PricedRequest,
  output: OutputLimit,
  calls: BilledCalls,
  inputs: ReservedInput,
  media: MediaInput,
): ReserveAt {
  const { family, endpoint, json, priced, cost } = x;
  const { requested, choices, tpm, wanted } = output;
  const { searches, tokensCost, maxImages, perImageUsd, bound, maxCalls } = calls;
  const { projectTier, inputTokensAt, transcribes, audioTokens } = inputs;
  const { seconds, imageInputTokens } = media;
  const audioSecondsUsd =
    cost !== undefined && seconds !== undefined ? cost({ ...ZERO_USAGE, audioSeconds: seconds }) : null;
  return (bodyInput, headroomUsd, fixedCalls) => {
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
      const searchCalls = bound && searches.uses > 0 ? calls : searches.uses;
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
    const floor = bound?.floor ?? 1;
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
}
