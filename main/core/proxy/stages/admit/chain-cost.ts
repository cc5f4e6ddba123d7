// The one pricing function a reservation is sized with: the ledger's (priceUsage), at the dearest
// of the models that may serve the request, in the dearest output modality it asks for, with audio
// input at the audio rate.
import { addUsd } from '../../../../../shared/money.js';
import { ZERO_USAGE, type Endpoint, type Usage } from '../../../../../shared/usage.js';
import type { CostOf } from '../../../limits/output-cap.js';
import { priceUsage, type PriceMatch } from '../../../pricing/index.js';
import { bareModel } from '../../../route/bare-model.js';
import type { RouteTarget } from '../../../route/resolve-provider.js';
import { isObject } from '../../request-meta.js';

export type OutputModality = 'audio' | 'image';

const NO_PRICES: readonly PriceMatch[] = [];

/** The pricing function the ledger uses, for a hypothetical usage of this request. With
 *  fallbacks, the dearest of the models that may serve it: the ledger prices the answer at the
 *  model that did, so a reservation sized for the routed model alone would not bound it. */
export function costFunction(
  price: PriceMatch | undefined,
  fallbacks: readonly PriceMatch[],
  dearer: readonly OutputModality[],
  audioIn: boolean,
  inTurn: readonly PriceMatch[] = NO_PRICES,
): CostOf | undefined {
  if (!price) return undefined;
  const chain = chainCost(price, fallbacks, dearer, audioIn);
  if (!chain || inTurn.length === 0) return chain;
  // Models the provider runs after the routed one, each billed for its hop (body-fallbacks.ts): a
  // hop's input is the request's, its output within the same limit (output-limit-field.ts).
  const hops = inTurn.map((p) => chainCost(p, NO_PRICES, dearer, audioIn));
  if (hops.some((hop) => hop === undefined)) return undefined;
  return (u: Usage) => {
    let sum = chain(u);
    for (const hop of hops) {
      const usd = sum === null ? null : hop!(u);
      sum = usd === null || sum === null ? null : addUsd(sum, usd);
    }
    return sum;
  };
}

/** The dearest of `price` and its `fallbacks` (one of which serves the request). */
function chainCost(
  price: PriceMatch,
  fallbacks: readonly PriceMatch[],
  dearer: readonly OutputModality[],
  audioIn: boolean,
): CostOf | undefined {
  // An answer in audio or images may be all audio or image tokens, dearer than text ones: its
  // output is reserved at the dearest of them, and a price with no audio output rate cannot price
  // it (the answer would be unpriced).
  const priceOut =
    dearer.length === 0
      ? priceUsage
      : (p: PriceMatch, u: Usage) => {
          let dearest = priceUsage(p, u);
          for (const m of dearer) {
            const usd = priceUsage(p, outputAs(m, u));
            if (usd === null || dearest === null) return null;
            if (usd > dearest) dearest = usd;
          }
          return dearest;
        };
  // Input with audio in it is reserved as if all of it were audio (the estimate counts a clip's
  // tokens among the text's): 60 s of audio to gpt-audio, reserved at the text rate, was reserved
  // at ~$0.0025 and billed $0.020225 (test/integration/audio-input-budget.test.ts). A price
  // without an audio input rate keeps the text rate: its answer is unpriced and charged that.
  const priceOf = audioIn
    ? (p: PriceMatch, u: Usage) => {
        const text = priceOut(p, u);
        const audio = text === null ? null : priceOut(p, { ...u, inputAudioTokens: u.inputTokens });
        return audio !== null && text !== null && audio > text ? audio : text;
      }
    : priceOut;
  if (dearer.length > 0 && priceOf(price, { ...ZERO_USAGE, outputTokens: 1 }) === null) return undefined;
  if (fallbacks.length === 0) return (u: Usage) => priceOf(price, u);
  const all = [price, ...fallbacks];
  return (u: Usage) => {
    let dearest: number | null = null;
    for (const p of all) {
      const usd = priceOf(p, u);
      if (usd === null) return null;
      if (dearest === null || usd > dearest) dearest = usd;
    }
    return dearest;
  };
}

/** Gemini's image models (gemini-2.5-flash-image, gemini-3-pro-image-preview…) answer in text
 *  and images when a request names no responseModalities ("The model defaults to returning text
 *  and image responses", ai.google.dev/gemini-api/docs/image-generation, read 2026-11-29). */
const GEMINI_IMAGE_MODEL = /^gemini-.*-image(?:-|$)/;

const TEXT_ONLY: OutputModality[] = [];

/** The output modalities dearer than text a request asks for: Chat Completions `modalities:
 *  ["text", "audio"]`, Gemini `generationConfig.responseModalities` with AUDIO or IMAGE, or none
 *  named to a Gemini image model that may serve it (`model` or one of `chain`; reserved at the
 *  text rate, such a request billed $0.1164274 on a $0.05 budget:
 *  test/integration/reservation-gaps.test.ts). */
export function dearerOutput(
  endpoint: Endpoint,
  json: unknown,
  model: string,
  chain: readonly RouteTarget[],
): readonly OutputModality[] {
  if (!isObject(json)) return TEXT_ONLY;
  let asked: unknown[] | undefined;
  if (endpoint === 'chat') asked = Array.isArray(json.modalities) ? json.modalities : undefined;
  else if (endpoint === 'generate_content') {
    // Every config and spelling present, as for the output limit (output-limit-field.ts): which
    // one Google reads when a body holds both is not documented.
    for (const g of [json.generationConfig, json.generation_config]) {
      if (!isObject(g)) continue;
      for (const list of [g.responseModalities, g.response_modalities])
        if (Array.isArray(list)) asked = [...(asked ?? []), ...(list as unknown[])];
    }
    const imageModel = (m: string | undefined) => m !== undefined && GEMINI_IMAGE_MODEL.test(bareModel(m));
    if (asked === undefined && (imageModel(model) || chain.some((t) => imageModel(t.upstreamModel))))
      return ['image'];
  }
  if (asked === undefined) return TEXT_ONLY;
  const names = asked.map((m) => String(m).toLowerCase());
  return (['audio', 'image'] as const).filter((m) => names.includes(m));
}

const outputAs = (m: OutputModality, u: Usage): Usage =>
  m === 'audio' ? { ...u, outputAudioTokens: u.outputTokens } : { ...u, outputImageTokens: u.outputTokens };
