// The request path as a pipeline: authenticate → read → route → cache → admit → send → relay →
// settle. Each stage is a named function in ./stages; this file only lists them in order and
// answers a refusal once, in the caller's format. Runs on plain node:http, not express: the proxy
// is the hot path and express's per-request overhead would cost a third of its throughput.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sendError } from '../errors/api-errors.js';
import type { Reservation } from '../limits/index.js';
import { providerDialect, speechCharacters } from '../meter/index.js';
import { classifyPath } from '../route/classify-path.js';
import { saveBodyLogging, startBodyLogging, type BodyLogging } from './body-logging.js';
import type { ProxyDeps } from './proxy-deps.js';
import { hasFormFields, readFormFields } from './form-fields.js';
import { Refused } from './refused.js';
import { clientOf, sessionOf } from './client-identity.js';
import { readRequestMeta } from './request-meta.js';
import { newDraft, type RecordDraft } from './request-record.js';
import { admit, CAPPED_HEADER, checkRecordable } from './stages/admit.js';
import { authenticate, checkKnownPath, checkNotPaused } from './stages/authenticate.js';
import { readRequest } from './stages/read-request.js';
import { relayResponse } from './stages/relay-response.js';
import { routeRequest } from './stages/route-request.js';
import { sendUpstream } from './stages/send-upstream.js';
import { serveFromCache } from './stages/serve-from-cache.js';
import { settle } from './stages/settle.js';

export type { ProxyDeps } from './proxy-deps.js';
export { DEFAULT_MAX_OUTPUT_TOKENS } from './stages/admit.js';

export function createProxyHandler(deps: ProxyDeps) {
  return async function handleProxyRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const time = deps.now();
    const id = randomUUID();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = q < 0 ? '' : rawUrl.slice(q);
    const cls = classifyPath(pathname, req.headers);
    const { family, endpoint } = cls;
    // Every answer carries the id. It goes into each writeHead rather than through setHeader now:
    // any setHeader sends every later writeHead down Node's slower merging path.
    const idHeader = { 'x-shimmy-request-id': id };

    const tool = authenticate(deps, req, search, time);
    if (!tool) {
      refuseUnauthenticated(deps, req, res, family, pathname, id, idHeader);
      return;
    }

    const draft = newDraft({ id, time, startedAt, family, endpoint, path: pathname, tool: tool.name });
    const project = req.headers['x-shimmy-project'];
    if (typeof project === 'string' && project) draft.project = project.slice(0, 200);
    const client = clientOf(req.headers['user-agent']);
    if (client) draft.client = client;
    const session = sessionOf(req.headers);
    if (session) draft.session = session;
    let reservation: Reservation | undefined;
    let bodyLogging: BodyLogging | null = null;
    let cacheMiss = false;
    try {
      const config = deps.config();
      checkNotPaused(config, tool);
      checkKnownPath(req, cls);
      checkRecordable(deps);

      const body = await readRequest(req, config.settings.bodyLimitBytes);
      if (config.settings.logBodies) bodyLogging = startBodyLogging(req, body.bodyBytes);
      const type = req.headers['content-type'];
      const form = hasFormFields(endpoint, type) ? await readFormFields(type!, body.bodyBytes) : undefined;
      const meta = readRequestMeta(cls, body.json ?? form);
      if (meta.user) draft.user = meta.user.slice(0, 200);
      draft.streamed = meta.stream;

      const routed = await routeRequest(deps, config, tool, meta, draft);

      const cached = serveFromCache(deps, { config, tool, req, res, json: body.json, meta, routed, draft });
      if (cached.hit) {
        settle(deps, draft, undefined);
        return;
      }
      cacheMiss = cached.key !== undefined;

      const admitted = admit(deps, {
        config,
        tool,
        draft,
        json: body.json,
        model: routed.target.upstreamModel,
      });
      reservation = admitted.reservation;
      // The body with the output limit the reservation paid for (admit.ts), when it changed.
      const upstreamBody = admitted.upstreamJson
        ? { bodyBytes: Buffer.from(JSON.stringify(admitted.upstreamJson)), json: admitted.upstreamJson }
        : body;

      deps.events.emit({
        type: 'request.start',
        id,
        time: time.toISOString(),
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
        draft,
      });

      const servedPrice =
        sent.served.upstreamModel === routed.target.upstreamModel
          ? admitted.price
          : deps.prices.lookup(sent.served.upstreamModel);
      await relayResponse(deps, {
        res,
        upstream: sent.upstream,
        draft,
        meta,
        price: servedPrice,
        reservation,
        inputEstimate: admitted.inputEstimate,
        budgeted: admitted.budgeted,
        cancel: sent.cancel,
        extraHeaders: admitted.headers,
        ...(admitted.outputCap !== undefined ? { outputCap: admitted.outputCap } : {}),
        // A capped answer may be cut short: never replayed to a request that was not capped.
        ...(cached.key && !admitted.headers[CAPPED_HEADER] ? { cacheKey: cached.key } : {}),
        bodyLogging,
        dialect: providerDialect(sent.served.provider),
        ...(endpoint === 'audio_speech' ? { characters: speechCharacters(body.json) } : {}),
      });
    } catch (err) {
      if (!(err instanceof Refused)) {
        // The caller answers 500; the id still goes with it.
        if (!res.headersSent) res.setHeader('x-shimmy-request-id', id);
        throw err;
      }
      answerRefusal(req, res, draft, err, {
        ...idHeader,
        ...(cacheMiss ? { 'x-shimmy-cache': 'miss' } : {}),
      });
    }
    if (bodyLogging) saveBodyLogging(deps, id, time, bodyLogging);
    settle(deps, draft, reservation);
  };
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
    sendError(res, draft.family, err.kind, err.message, { ...headers, ...err.headers });
    draft.status = res.statusCode;
  }
  draft.costUsd = 0;
  // (The limiter itself emits alert.blocked for budget and rate refusals, throttled.)
}
