// The request path as a pipeline: authenticate → read → route → cache → admit → send → relay →
// settle. Each stage is a named function in ./stages; this file only lists them in order and
// answers a refusal once, in the caller's format. Runs on plain node:http, not express: the proxy
// is the hot path and express's per-request overhead would cost a third of its throughput.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Config, Tool } from '../../../shared/config.js';
import { sendError } from '../errors/api-errors.js';
import { refusalAudience } from '../errors/refusal-audience.js';
import type { Reservation } from '../limits/index.js';
import { providerDialect, speechCharacters } from '../meter/index.js';
import { saveBodyLogging, startBodyLogging, type BodyLogging } from './body-logging.js';
import type { Billing } from '../route/billable-endpoints.js';
import type { PathClass } from '../route/classify-path.js';
import { fallbackChain } from '../route/resolve-provider.js';
import { hiddenUsageParam } from '../route/google-system-params.js';
import type { Cancellation } from '../upstream/cancellation.js';
import { chargeUnread, unreadEstimate } from './charge-unread.js';
import { classifyRequest } from './classify-request.js';
import { requestedContextWindow } from './context-window.js';
import { choosesProject } from './own-project.js';
import { mayThinkUnseen, thinkingReported } from './hidden-output.js';
import type { ProxyDeps } from './proxy-deps.js';
import { Refused } from './refused.js';
import { identifyClient } from './client-identity.js';
import { readRequestMeta } from './request-meta.js';
import { newDraft, type RecordDraft } from './request-record.js';
import { newRequestId } from './request-id.js';
import { admit, checkRecordable, TPM_OUTPUT_ESTIMATE } from './stages/admit.js';
import { answerCacheable } from './cacheable-answer.js';
import { checkPlanWindow } from './stages/plan-route.js';
import { namesNoTier } from '../limits/served-tiers.js';
import { asksClaudeOneHourElsewhere } from '../limits/reserved-input.js';
import { markPlanRecord, recordPlanWindows } from './stages/plan-record.js';
import { authenticate, checkKnownPath, checkNotPaused } from './stages/authenticate.js';
import { checkBillable } from './stages/check-billable.js';
import { readRequest } from './stages/read-request.js';
import { relayResponse, type RelayArgs } from './stages/relay-response.js';
import { allowedHops, routeRequest } from './stages/route-request.js';
import { sendUpstream } from './stages/send-upstream.js';
import { serveFromCache } from './stages/serve-from-cache.js';
import { settle } from './stages/settle.js';
import { imageToolModel } from './image-tool.js';
import { uploadedAudioSeconds, uploadedImageSizes } from './form-body.js';

export type { ProxyDeps } from './proxy-deps.js';
export { DEFAULT_MAX_OUTPUT_TOKENS } from './stages/admit.js';

export function createProxyHandler(deps: ProxyDeps) {
  return async function handleProxyRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const time = deps.now();
    const id = newRequestId();
    const { cls, pathname, search, pathError } = classifyRequest(req.url ?? '/', req.headers);
    const { family, endpoint } = cls;
    // Every answer carries the id. It goes into each writeHead rather than through setHeader now:
    // any setHeader sends every later writeHead down Node's slower merging path.
    const idHeader = { 'x-shimmy-request-id': id };

    let tool: Tool | undefined;
    try {
      tool = authenticate(deps, req, search, time);
    } catch (err) {
      // No tool, so no record: answered in the caller's format all the same.
      req.resume();
      sendError(res, family, 'internal_error', INTERNAL_MESSAGE, idHeader);
      deps.log({ id, status: 500, path: pathname, error: 'internal_error', cause: causeOf(err) });
      return;
    }
    if (!tool) {
      refuseUnauthenticated(deps, req, res, family, pathname, id, idHeader);
      return;
    }

    const draft = newDraft({ id, time, startedAt, family, endpoint, path: pathname, tool: tool.name });
    const project = req.headers['x-shimmy-project'];
    if (typeof project === 'string' && project) draft.project = project.slice(0, 200);
    const p: Progress = {
      reservation: undefined,
      billing: { kind: 'free' },
      estimateUsd: undefined,
      budgeted: false,
      thinksUnseen: false,
      upstreamStatus: undefined,
      bodyLogging: null,
      cacheMiss: false,
      cancel: undefined,
    };
    try {
      const config = deps.config();
      checkNotPaused(config, tool);
      if (pathError) throw new Refused('invalid_request', pathError, 'bad_request');
      checkKnownPath(req, cls);
      const hidesUsage = hiddenUsageParam(search, req.headers);
      if (hidesUsage) throw new Refused('invalid_request', hidesUsage, 'bad_request');
      checkRecordable(deps);

      const sent = await sendRequest(deps, req, res, { config, tool, draft, cls, search }, p);
      if (!sent) return;
      await relayResponse(deps, sent.relay);
      // The tier a request naming none was served at: the next ones are reserved at it.
      const servedTier = draft.usage.serviceTier;
      if (sent.learnsTierOf && servedTier) deps.servedTiers.saw(sent.learnsTierOf, servedTier);
    } catch (err) {
      const headers = p.cacheMiss ? { ...idHeader, 'x-shimmy-cache': 'miss' } : idHeader;
      if (err instanceof Refused) answerRefusal(req, res, draft, err, headers);
      else answerInternalError(deps, req, res, draft, err, headers, p.cancel);
    }
    if (p.thinksUnseen && thinkingReported(family, draft.usage)) p.thinksUnseen = false;
    const unread = chargeUnread(draft, p);
    if (p.bodyLogging) saveBodyLogging(deps, id, time, p.bodyLogging);
    if (tool.plan) markPlanRecord(draft);
    // Only the record names the client and its session: read once the answer is out, off the
    // time before the upstream sees the request.
    identifyClient(draft, req.headers);
    settle(deps, draft, p.reservation, unread);
  };
}

/** What the stages up to the relay leave for the answer's settling, set as they go: a refusal or
 *  failure at any point is settled from what was reached. */
interface Progress {
  reservation: Reservation | undefined;
  /** What the provider may bill: a refusal after sending still costs. */
  billing: Billing;
  estimateUsd: (() => number | null) | undefined;
  budgeted: boolean;
  thinksUnseen: boolean;
  upstreamStatus: number | undefined;
  bodyLogging: BodyLogging | null;
  cacheMiss: boolean;
  cancel: Cancellation | undefined;
}

/** The request sent, and what the relay is given. */
interface Sent {
  relay: RelayArgs;
  /** The provider whose served tier the answer teaches (the request named none, for OpenAI). */
  learnsTierOf?: string;
}

/**
 * read → route → cache → admit → send, in a frame of their own: an async function's suspended
 * frame keeps every local it ever set until it returns, and the relay's await lasts the answer's
 * whole life. Inline in the handler, the body, its parsed fields and admit's arguments and answer
 * stayed alive in most open streams (heap snapshots, issue 16: memory per open stream); here they
 * die when this returns, and only the relay's arguments and `p` live on. Undefined: the answer was
 * served from the cache and settled.
 */
async function sendRequest(
  deps: ProxyDeps,
  req: IncomingMessage,
  res: ServerResponse,
  x: { config: Config; tool: Tool; draft: RecordDraft; cls: PathClass; search: string },
  p: Progress,
): Promise<Sent | undefined> {
  const { config, tool, draft, cls, search } = x;
  const { family, endpoint } = cls;
  const body = await readRequest(req, config.settings.bodyLimitBytes, endpoint, res);
  if (config.settings.logBodies) p.bodyLogging = startBodyLogging(req, body.bodyBytes);
  const fields = body.json ?? body.form;
  const meta = readRequestMeta(cls, fields);
  if (meta.user) draft.user = meta.user.slice(0, 200);
  draft.streamed = meta.stream;

  const routed = await routeRequest(deps, config, tool, meta, draft);
  p.billing = checkBillable(config, tool, req.method ?? 'GET', cls, fields);
  checkPlanWindow(tool, family, deps.plans);

  // A promise only when the body must be read from disk: a hit from memory takes no extra tick.
  const lookup = serveFromCache(deps, { config, tool, req, res, json: body.json, meta, routed, draft });
  const cached = lookup instanceof Promise ? await lookup : lookup;
  if (cached.hit) {
    identifyClient(draft, req.headers);
    settle(deps, draft, undefined);
    return undefined;
  }
  p.cacheMiss = cached.key !== undefined;

  // Where it may be served: admit reserves at the dearest of these, send tries them in order.
  // Plan traffic has one place to go: its own provider's host.
  const chain = routed.plan ? [routed.target] : allowedHops(tool, fallbackChain(config, routed.target));
  const admitArgs: Parameters<typeof admit>[1] = {
    config,
    tool,
    draft,
    json: fields,
    provider: routed.target.provider,
    model: routed.target.upstreamModel,
    fallbacks: chain.slice(1),
    bodyLength: body.bodyBytes?.length ?? 0,
  };
  // Set one by one, not spread in: a literal with a spread is built on V8's slow path.
  if (body.form && body.bodyBytes) {
    // whisper-1 bills the seconds of its file: read from it when a budget needs them.
    if (endpoint === 'audio_transcription')
      admitArgs.audioSeconds = uploadedAudioSeconds.bind(
        null,
        body.bodyBytes,
        String(req.headers['content-type']),
      );
    // A gpt-image edit bills its input images by their size: read from the form when priced.
    if (endpoint === 'images')
      admitArgs.imageInputs = uploadedImageSizes.bind(
        null,
        body.bodyBytes,
        String(req.headers['content-type']),
      );
  }
  const askedWindow = requestedContextWindow(family, req.headers);
  if (askedWindow !== undefined) admitArgs.contextWindow = askedWindow;
  const ownProject = choosesProject(family, req.headers);
  if (ownProject) admitArgs.ownProject = true;
  const admitted = await admit(deps, admitArgs);
  p.reservation = admitted.reservation;
  p.estimateUsd = unreadEstimate(family, admitted, TPM_OUTPUT_ESTIMATE);
  p.budgeted = admitted.budgeted;
  p.thinksUnseen = mayThinkUnseen(family, endpoint, routed.target.upstreamModel, fields);
  // The body with the output limit the reservation paid for (admit.ts), when it changed.
  const upstreamBody = admitted.upstreamEdits ? { ...body, edits: admitted.upstreamEdits } : body;

  deps.events.emit({
    type: 'request.start',
    id: draft.id,
    time: draft.timeIso,
    tool: tool.name,
    provider: routed.target.provider.name,
    model: routed.target.upstreamModel,
    endpoint,
    streamed: meta.stream,
  });
  const sent = await sendUpstream(deps, {
    config,
    req,
    res,
    cls,
    search,
    body: upstreamBody,
    meta,
    routed,
    chain,
    draft,
  });
  p.upstreamStatus = sent.upstream.status;
  p.cancel = sent.cancel;
  // Sent: it will not be sent again, so the next big body may be read (body-intake.ts).
  body.releaseIntake?.();

  if (routed.plan) recordPlanWindows(deps, family, sent.upstream.headers);
  const servedPrice =
    sent.served.provider.name === routed.target.provider.name &&
    sent.served.upstreamModel === routed.target.upstreamModel
      ? admitted.price
      : deps.prices.lookup({
          provider: sent.served.provider,
          model: sent.served.upstreamModel,
          at: draft.time,
        });
  // The optional members are set one by one, not spread in (a slow literal in V8, per request).
  const relay: RelayArgs = {
    res,
    upstream: sent.upstream,
    draft,
    meta,
    price: servedPrice,
    servedBy: sent.served.provider,
    reservation: admitted.reservation,
    inputEstimate: admitted.inputEstimate,
    inputKnown: admitted.inputKnown,
    budgeted: admitted.budgeted,
    cancel: sent.cancel,
    extraHeaders: admitted.headers,
    bodyLogging: p.bodyLogging,
    dialect: providerDialect(sent.served.provider),
  };
  if (admitted.outputCap !== undefined) relay.outputCap = admitted.outputCap;
  // A bounded answer may be cut short: never replayed to a request that was not bounded.
  if (cached.key && answerCacheable(admitted)) relay.cacheKey = cached.key;
  if (endpoint === 'audio_speech') relay.characters = speechCharacters(body.json);
  if (asksClaudeOneHourElsewhere(family, sent.served.upstreamModel, body.json))
    relay.oneHourCacheWrites = true;
  if (admitted.bodyFallbacks) relay.bodyFallbacks = true;
  if (endpoint === 'responses') {
    const imageModel = imageToolModel(fields);
    if (imageModel) relay.imageModel = imageModel;
  }
  const out: Sent = { relay };
  // Not when the client chose its own project: its tier is that project's.
  if (family === 'openai' && namesNoTier(fields) && !ownProject) out.learnsTierOf = sent.served.provider.name;
  return out;
}

/** Unauthenticated traffic is logged, not put in the ledger: a port scanner must not grow it. */
function refuseUnauthenticated(
  deps: ProxyDeps,
  req: IncomingMessage,
  res: ServerResponse,
  family: RecordDraft['family'],
  pathname: string,
  id: string,
  idHeader: Record<string, string>,
): void {
  req.resume();
  sendError(
    res,
    family,
    'invalid_api_key',
    'Missing or unknown Shimmy tool token. Create one with `shimmy tool add NAME` and send it as `Authorization: Bearer shm_…` or `x-api-key`.',
    idHeader,
  );
  deps.log({ id, status: 401, path: pathname, error: 'invalid_api_key' });
}

function answerRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  draft: RecordDraft,
  err: Refused,
  headers: Record<string, string>,
): void {
  draft.errorClass = err.errorClass;
  if (err.errorClass === 'client_abort') {
    draft.status = 499;
  } else {
    req.resume();
    sendError(
      res,
      draft.family,
      err.kind,
      err.message,
      { ...headers, ...err.headers },
      refusalAudience(req.headers),
    );
    draft.status = res.statusCode;
  }
  draft.costUsd = 0;
  // (The limiter itself emits alert.blocked for budget and rate refusals, throttled.)
}

const INTERNAL_MESSAGE =
  'Shimmy failed on this request (an internal error, in its log under this request id).';

const causeOf = (err: unknown) => String((err as Error | undefined)?.stack ?? err);

/** Any other failure (a bug, a store that throws): answered 500 in the caller's format and recorded
 *  like a refusal, so its reservation is settled below — released when nothing went out, kept at
 *  its worst case when the provider may bill it (charge-unread.ts) — instead of holding the budget
 *  until a restart. An answer already under way is cut: a clean end would pass for a whole one. */
function answerInternalError(
  deps: ProxyDeps,
  req: IncomingMessage,
  res: ServerResponse,
  draft: RecordDraft,
  err: unknown,
  headers: Record<string, string>,
  cancel: Cancellation | undefined,
): void {
  deps.log({ id: draft.id, error: 'proxy handler failed', cause: causeOf(err) });
  draft.errorClass = 'internal_error';
  cancel?.cancel();
  if (res.headersSent) {
    draft.status = res.statusCode;
    res.destroy();
  } else {
    req.resume();
    sendError(res, draft.family, 'internal_error', INTERNAL_MESSAGE, headers);
    draft.status = 500;
  }
  if (!draft.sentUpstream) draft.costUsd = 0;
}
