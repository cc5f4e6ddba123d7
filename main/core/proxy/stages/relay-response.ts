// Stage 7, relay: the answer streams to the client chunk by chunk (back-pressure respected)
// through the usage meter, which also strips the usage chunk Shimmy asked for on the client's
// behalf. A stream whose running cost passes the budget is ended with an error event. The cost
// is computed here, once the answer is complete.
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { safeHeaders } from '../../body-log/body-log.js';
import { errorEvent } from '../../errors/api-errors.js';
import type { Reservation } from '../../limits/index.js';
import { withinOutputLimit } from '../../limits/output-cap.js';
import {
  createResponseMeter,
  type MeterOptions,
  type ProviderDialect,
  type ResponseMeter,
} from '../../meter/index.js';
import { priceUsage, type PriceMatch } from '../../pricing/index.js';
import { DEFAULT_IMAGE_TOOL_MODEL, withImageTool } from '../image-tool.js';
import type { Cancellation } from '../../upstream/cancellation.js';
import { clientResponseHeaders } from '../../upstream/headers.js';
import {
  describeUpstreamError,
  headersObject,
  rawHeader,
  type UpstreamResponse,
} from '../../upstream/upstream-client.js';
import type { Provider } from '../../../../shared/config.js';
import type { BodyLogging } from '../body-logging.js';
import type { ProxyDeps } from '../proxy-deps.js';
import type { RequestMeta } from '../request-meta.js';
import type { RecordDraft } from '../request-record.js';

const COUNTED = new Set<RecordDraft['endpoint']>([
  'chat',
  'completions',
  'responses',
  'embeddings',
  'messages',
  'generate_content',
]);

export interface RelayArgs {
  res: ServerResponse;
  upstream: UpstreamResponse;
  draft: RecordDraft;
  meta: RequestMeta;
  price: PriceMatch | undefined;
  /** The provider that answered: a request without a model is priced at its answer's model there. */
  servedBy?: Provider;
  reservation: Reservation;
  inputEstimate: (atMost?: boolean) => number;
  /** Told the provider's own input count once the answer gives it (the request's parse can go). */
  inputKnown?: (tokens: number) => void;
  /** A USD budget applies: the running cost of a stream is checked against it. */
  budgeted: boolean;
  cancel: Cancellation;
  /** More response headers from earlier stages (admit: the output cap). */
  extraHeaders?: Record<string, string>;
  /** Output tokens the upstream is bound to: a running estimate above it is held to it. */
  outputCap?: number;
  /** Set when the answer may be stored in the response cache. */
  cacheKey?: string;
  bodyLogging: BodyLogging | null;
  /** How the provider that answered reports usage (providerDialect()). */
  dialect?: ProviderDialect;
  /** A speech request's characters (speechCharacters()): what tts models bill by. */
  characters?: number;
  /** Responses with an image generation tool: the image model its images are billed at. */
  imageModel?: string;
  /** A Claude request through an OpenAI-compatible API asked for 1-hour cache writes: its answer's
   *  writes, reported without their TTL, are priced at that rate. Priced at 5 minutes, a 1-hour
   *  write answered without OpenRouter's `usage.cost` was recorded at 1.25× input where 2× was
   *  billed (openrouter-one-hour-cost.test.ts). A request mixing both TTLs is priced as all 1-hour:
   *  the split is not reported, and the dearer reading never records less than was billed. */
  oneHourCacheWrites?: boolean;
  /** The body names its own fallback models (limits/body-fallbacks.ts): the answer may come from
   *  one of them, and is priced at the model it names when that reads dearer. At the routed
   *  model's price, a Haiku request served by Opus 4.1 was recorded $0.0126 where $0.1875 was
   *  billed (body-fallbacks-budget.test.ts), and the budget's next requests saw that. */
  bodyFallbacks?: boolean;
}

/** Largest answer the cache keeps a copy of while relaying it. */
const MAX_CACHED_BODY = 8 * 1024 * 1024;

/** The optional members set one by one, not spread in: a spread of a conditional literal is a
 *  slow copy in V8, and this runs for every request. */
function meterOptions(a: RelayArgs, streamed: boolean, stripUsage: boolean): MeterOptions {
  const opts: MeterOptions = {
    family: a.draft.family,
    endpoint: a.draft.endpoint,
    streamed,
    stripUsage,
    inputEstimate: a.inputEstimate,
  };
  if (a.inputKnown) opts.inputKnown = a.inputKnown;
  if (a.dialect) opts.dialect = a.dialect;
  if (a.characters !== undefined) opts.characters = a.characters;
  return opts;
}

/** Streams the upstream answer to the client chunk by chunk, reading usage on the way. */
export async function relayResponse(deps: ProxyDeps, a: RelayArgs): Promise<void> {
  const { res, upstream, draft, meta } = a;
  const contentType = rawHeader(upstream.rawHeaders, 'content-type') ?? '';
  const sse = contentType.includes('text/event-stream');
  const ok = upstream.status < 400;
  const stripUsage = ok && sse && meta.addedUsage;
  draft.status = upstream.status;
  draft.streamed = sse;
  if (!ok) draft.errorClass = 'upstream_error';
  const meter = ok ? createResponseMeter(meterOptions(a, sse, stripUsage)) : null;
  // The cache keeps the upstream's own bytes; a replay runs them through the same meter.
  const copy: Buffer[] | null = a.cacheKey && upstream.status === 200 ? [] : null;
  let copied = 0;
  const own: Record<string, string> = { 'x-shimmy-request-id': draft.id };
  if (a.cacheKey) own['x-shimmy-cache'] = 'miss';
  const overrides = a.extraHeaders
    ? [a.reservation.headers, a.extraHeaders, own]
    : [a.reservation.headers, own];
  const headers = clientResponseHeaders(upstream.rawHeaders, stripUsage, overrides);
  res.writeHead(upstream.status, headers);
  if (a.bodyLogging) a.bodyLogging.responseHeaders = safeHeaders(headersObject(headers));
  let cutOff = false;
  const resume = () => upstream.body.resume();
  // The running cost, checked on every chunk, first at a bound on the output so far (no parse, no
  // tokenizing: cost only grows with output) and exactly only when that bound would pass the
  // budget, so the stream is cut at the same chunk as with the exact count on every chunk.
  const over = (meter: ResponseMeter, price: PriceMatch, atMost: boolean) =>
    a.reservation.check(priceUsage(price, withinOutputLimit(meter.usage(atMost), a.outputCap)) ?? 0) ===
    'over';
  const overBudget = (meter: ResponseMeter, price: PriceMatch) =>
    over(meter, price, true) && over(meter, price, false);
  try {
    const relayed = upstream.body.read((chunk) => {
      if (cutOff) return true;
      if (copy && copied + chunk.length <= MAX_CACHED_BODY) {
        copy.push(chunk);
        copied += chunk.length;
      }
      const out = meter ? meter.push(chunk) : chunk;
      a.bodyLogging?.response.add(out);
      let flowing = true;
      if (out.length > 0 && !res.destroyed) {
        if (draft.ttfbMs === null)
          draft.ttfbMs = Math.round((performance.now() - draft.startedAt) * 100) / 100;
        // Back-pressure: a slow client pauses the upstream until its socket drains.
        flowing = res.write(out);
        if (!flowing) res.once('drain', resume);
      }
      if (meter && sse && a.budgeted && a.price && overBudget(meter, a.price)) {
        cutOff = true;
        upstream.body.cancel();
      }
      return flowing;
    });
    // read() has handed over, synchronously, whatever arrived with the upstream's headers. SSE
    // headers left with those first events (one write instead of two); if there were none (a
    // model still thinking), they go now, so the client sees its answer begin. (Not
    // `res.headersSent`: Node sets it at writeHead, before anything is on the wire.)
    if (sse && draft.ttfbMs === null && !res.destroyed) res.flushHeaders();
    await relayed;
    // A plain body is all written: the answer leaves now and its usage is parsed after. (SSE:
    // the meter may still hold the bytes of an unterminated last event.)
    if (!sse && !res.destroyed) res.end();
    if (meter && !cutOff) {
      const rest = meter.flush();
      if (rest.length > 0 && !res.destroyed) res.write(rest);
    }
  } catch (err) {
    if (cutOff) {
      // The upstream was aborted on purpose, below.
    } else if (a.cancel.cancelled) {
      draft.errorClass = 'client_abort';
    } else {
      draft.errorClass = 'upstream_cut';
      deps.log({ id: draft.id, warn: 'upstream stream cut', cause: describeUpstreamError(err) });
    }
  }
  if (cutOff) {
    // A single long answer cannot overshoot: end the stream cleanly with an error event.
    a.cancel.cancel();
    draft.errorClass = 'budget';
    res.end(
      errorEvent(
        draft.family,
        'budget_exceeded',
        `Tool "${draft.tool}" reached its budget during this response; the stream was ended.`,
      ),
    );
  } else if (draft.errorClass === 'upstream_cut') {
    res.destroy();
  } else if (!res.destroyed && !res.writableEnded) {
    res.end();
  }
  let price = a.price;
  if (meter) {
    draft.usage = meter.usage();
    if (a.oneHourCacheWrites && !draft.usage.cacheWrite1hTokens && draft.usage.cacheWriteTokens > 0)
      draft.usage = { ...draft.usage, cacheWrite1hTokens: draft.usage.cacheWriteTokens };
    // A JSON answer of a token endpoint without a usage Shimmy could read is priced from its own
    // count of the text: an estimate too (media answers without usage are priced by their units).
    draft.estimated = !meter.final && (sse ? draft.endpoint !== 'other' : COUNTED.has(draft.endpoint));
    draft.usageFinal = meter.final;
    // A request without a model (a Responses stored prompt) is priced at the model that answered.
    if (meter.model && !draft.model) {
      draft.model = meter.model;
      price ??= a.servedBy
        ? deps.prices.lookup({ provider: a.servedBy, model: meter.model, at: draft.time })
        : undefined;
    } else if (a.bodyFallbacks && meter.model && a.servedBy) {
      const answered = deps.prices.lookup({ provider: a.servedBy, model: meter.model, at: draft.time });
      const usd = (p: PriceMatch | undefined) => (p ? (priceUsage(p, draft.usage) ?? -1) : -1);
      // The dearer reading: how the hops of a fallback turn add up at the top level is not
      // documented, and a declined hop was billed too.
      if (usd(answered) > usd(price)) price = answered;
    }
  }
  // An answer a later request may continue: the conversation it ends, at most its input and output.
  if (meter?.responseId && draft.usageFinal)
    deps.storedResponses.saw(meter.responseId, draft.usage.inputTokens + draft.usage.outputTokens);
  if (!ok || draft.endpoint === 'count_tokens' || (draft.endpoint === 'other' && !draft.model)) {
    draft.costUsd = 0;
  } else if (draft.endpoint === 'audio_transcription' && meter && !meter.final) {
    // A transcription answered without usage (response_format text, srt, vtt) says nothing of the
    // audio it was billed for: unpriced, never the $0 its empty usage prices at; under a budget it
    // is charged what its reservation held (charge-unread.ts).
    draft.costUsd = null;
    draft.estimated = true;
  } else {
    draft.costUsd = priceUsage(price, draft.usage);
    // The image generation tool's images, billed at the image model's rates (image-tool.ts).
    const images = meter?.toolImageUsage;
    if (images && a.servedBy)
      draft.costUsd = withImageTool(deps.prices, {
        costUsd: draft.costUsd,
        usage: images,
        model: a.imageModel ?? DEFAULT_IMAGE_TOOL_MODEL,
        provider: a.servedBy,
        at: draft.time,
      });
  }
  const complete = draft.errorClass === null && (!sse || meter?.final === true);
  if (copy && a.cacheKey && complete && copied < MAX_CACHED_BODY) {
    deps.cache.set(a.cacheKey, {
      status: upstream.status,
      headers: Object.fromEntries(
        Object.entries(upstream.headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      body: copy, // joined by the cache, over turns when it is big
      streamed: sse,
      usage: draft.usage,
      costUsd: draft.costUsd,
      model: draft.model,
      storedAt: Date.now(),
    });
  }
}
