// The request path, top to bottom: auth → route → limits → upstream → meter → ledger.
// (Limits come after route because a reservation is priced at the model the request will really
// hit, and the model allowlist applies to the routed name.) Runs on plain node:http, not express:
// the proxy is the hot path and express's per-request overhead would cost a third of throughput.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Config, Tool } from '../../../shared/config.js';
import { roundUsd } from '../../../shared/money.js';
import { tokenFromHeaders, type ToolAuth } from '../auth/tool-auth.js';
import { errorEvent, sendError, type ProxyErrorKind } from '../errors/api-errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { Ledger } from '../ledger/index.js';
import type { Limiter, Reservation } from '../limits/index.js';
import { createResponseMeter, estimateInputTokens, requestedMaxOutputTokens } from '../meter/index.js';
import { costUsd, type PriceBook, type PriceMatch } from '../pricing/index.js';
import { adapters } from '../providers/provider-adapter.js';
import { classifyPath } from '../route/classify-path.js';
import { fallbackChain, resolveProvider } from '../route/resolve-provider.js';
import { matchesModelGlob } from '../route/model-glob.js';
import { cacheKey, isReplayable, type CachedResponse, type ResponseCache } from '../cache/index.js';
import { clientResponseHeaders, upstreamRequestHeaders } from '../upstream/headers.js';
import type { KeyHealth } from '../upstream/key-health.js';
import { Cancellation } from '../upstream/cancellation.js';
import { sendWithFailover } from '../upstream/send-with-failover.js';
import {
  classifyUpstreamError,
  describeUpstreamError,
  type UpstreamClient,
  type UpstreamResponse,
} from '../upstream/upstream-client.js';
import type { Vault } from '../vault/vault.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { isObject, readRequestMeta, rewriteBody, type RequestMeta } from './request-meta.js';
import { newDraft, toRecord, type RecordDraft } from './request-record.js';
import { BodyCapture, safeHeaders, type BodyLog, type LoggedMessage } from '../body-log/body-log.js';

export interface ProxyDeps {
  config: () => Config;
  auth: ToolAuth;
  vault: Vault;
  limiter: Limiter;
  ledger: Ledger;
  prices: PriceBook;
  events: EventBus;
  upstream: UpstreamClient;
  keyHealth: KeyHealth;
  cache: ResponseCache;
  bodyLog: BodyLog;
  now: () => Date;
  /** One structured line per request; never given a secret. */
  log: (entry: Record<string, unknown>) => void;
}

/** Output tokens reserved when a request sets no cap: a documented estimate, corrected on settle. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

class Refused extends Error {
  constructor(
    readonly kind: ProxyErrorKind,
    message: string,
    readonly errorClass: RecordDraft['errorClass'],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function createProxyHandler(deps: ProxyDeps) {
  const modelAllowed = (tool: Tool, names: string[]) => {
    const globs = tool.limits.models;
    if (!globs || globs.length === 0) return true;
    return globs.some((g) => names.some((n) => matchesModelGlob(g, n)));
  };

  return async function handleProxyRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const time = deps.now();
    const id = randomUUID();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const search = q < 0 ? '' : rawUrl.slice(q);
    const { family, endpoint } = classifyPath(pathname);
    // Every answer carries the id. It goes into each writeHead rather than through setHeader now:
    // any setHeader sends every later writeHead down Node's slower merging path.
    const idHeader = { 'x-shimmy-request-id': id };

    const tool = deps.auth.authenticate(tokenFromHeaders(req.headers), time);
    if (!tool) {
      // Unauthenticated traffic is logged, not put in the ledger: a port scanner must not grow it.
      req.resume();
      sendError(
        res,
        family,
        'invalid_api_key',
        'Missing or unknown Shimmy tool token. Create one with `shimmy tool add NAME` and send it as `Authorization: Bearer shm_…` or `x-api-key`.',
        idHeader,
      );
      deps.log({ id, status: 401, path: pathname, error: 'invalid_api_key' });
      return;
    }

    const draft = newDraft({ id, time, startedAt, family, endpoint, path: pathname, tool: tool.name });
    const project = req.headers['x-shimmy-project'];
    if (typeof project === 'string' && project) draft.project = project.slice(0, 200);
    let reservation: Reservation | undefined;
    let bodyLogging: BodyLogging | null = null;
    let cacheMiss = false;
    try {
      const config = deps.config();
      if (config.settings.paused)
        throw new Refused(
          'proxy_paused',
          'Shimmy is paused: every request is refused until it is resumed from the tray or the dashboard.',
          'auth',
        );
      if (tool.paused)
        throw new Refused(
          'tool_paused',
          `Tool "${tool.name}" is paused. Resume it with: shimmy tool resume ${tool.name}`,
          'auth',
        );

      const { bodyBytes, json } = await readRequest(req, config.settings.bodyLimitBytes);
      if (config.settings.logBodies) {
        const reqBody = new BodyCapture();
        if (bodyBytes) reqBody.add(bodyBytes);
        bodyLogging = {
          request: {
            headers: safeHeaders(req.headers),
            body: reqBody.text(),
            ...(reqBody.truncated ? { truncated: true } : {}),
          },
          response: new BodyCapture(),
          responseHeaders: {},
        };
      }
      const meta = readRequestMeta(endpoint, json);
      if (meta.user) draft.user = meta.user.slice(0, 200);
      const requestedModel = tool.modelOverride && meta.model ? tool.modelOverride : meta.model;
      draft.model = requestedModel;
      draft.streamed = meta.stream;

      // route
      const route = resolveProvider(config, family, requestedModel);
      if (!route.ok) throw new Refused('route_error', route.message, 'bad_request');
      const { provider, upstreamModel } = route.target;
      draft.provider = provider.name;
      draft.model = upstreamModel;

      // limits: the allowlist applies to the routed names too, so an alias cannot smuggle a model in.
      if (
        requestedModel &&
        !modelAllowed(tool, [requestedModel, upstreamModel, `${provider.name}/${upstreamModel}`])
      ) {
        throw new Refused(
          'model_not_allowed',
          `Tool "${tool.name}" may not use model "${requestedModel}" (allowed: ${tool.limits.models!.join(', ')}).`,
          'forbidden_model',
        );
      }
      const routedKeys = await deps.vault.keys(provider.name);
      if (routedKeys.length === 0) {
        throw new Refused(
          'no_provider_key',
          `Provider "${provider.name}" has no API key. Set one with: shimmy key set ${provider.name}`,
          'no_key',
        );
      }

      // cache: a hit is served before budgets are touched, because it costs nothing.
      const cacheable =
        (tool.cache ?? config.settings.cacheEnabled) &&
        isReplayable({ endpoint, body: json, headers: req.headers, policy: config.settings.cachePolicy });
      const cacheKeyHex = cacheable
        ? cacheKey({ provider: provider.name, model: upstreamModel, endpoint, body: json })
        : undefined;
      if (cacheKeyHex) {
        const hit = deps.cache.get(cacheKeyHex);
        if (hit) {
          replayCached(deps, res, hit, draft, meta);
          finish(deps, draft, undefined);
          return;
        }
        cacheMiss = true;
      }

      const price = upstreamModel ? deps.prices.lookup(upstreamModel) : undefined;
      // Tokenizing costs real time per request: only when a budget or TPM limit needs the count,
      // or a stream is cut before the provider's own count arrives.
      let estimated: number | undefined;
      const inputEstimate = () =>
        (estimated ??= metered(endpoint) ? estimateInputTokens(family, endpoint, json, upstreamModel) : 0);
      const s = config.settings;
      const budgeted = [
        tool.limits.dailyUsd,
        tool.limits.monthlyUsd,
        s.globalDailyUsd,
        s.globalMonthlyUsd,
      ].some((x) => x !== undefined);
      const admission = admit(
        deps,
        tool,
        family,
        endpoint,
        json,
        budgeted || tool.limits.tpm ? inputEstimate() : 0,
        upstreamModel,
        price,
      );
      if (!admission.ok) throw admission.error;
      reservation = admission.reservation;

      // upstream: every key of the provider, then its fallback chain, until one answers.
      deps.events.emit({
        type: 'request.start',
        id,
        time: time.toISOString(),
        tool: tool.name,
        provider: provider.name,
        model: upstreamModel,
        endpoint,
        streamed: meta.stream,
      });
      const cancel = new Cancellation();
      // No spend on answers nobody reads: a client that goes away aborts the upstream request at once.
      res.on('close', () => {
        if (!res.writableFinished) cancel.cancel();
      });
      const attempts = [];
      for (const target of fallbackChain(config, route.target)) {
        const keys = target.provider === provider ? routedKeys : await deps.vault.keys(target.provider.name);
        for (const key of deps.keyHealth.order(target.provider.name, keys)) {
          attempts.push({
            provider: target.provider.name,
            model: target.upstreamModel,
            keyLabel: key.label,
            target,
            key: key.key,
          });
        }
      }
      const sent = await sendWithFailover({
        attempts,
        client: deps.upstream,
        health: deps.keyHealth,
        signal: cancel,
        build: (a) => {
          const adapter = adapters[a.target.provider.kind];
          const rewritten = isObject(json)
            ? rewriteBody(json, { ...meta, model: requestedModel }, a.model)
            : null;
          return {
            url: adapter.upstreamUrl(a.target.provider.baseUrl, pathname, search),
            method: req.method ?? 'GET',
            headers: {
              ...adapter.defaultHeaders,
              ...upstreamRequestHeaders(req.headers),
              ...adapter.authHeaders(a.key),
            },
            body: rewritten ? Buffer.from(JSON.stringify(rewritten)) : bodyBytes,
            signal: cancel,
            timeoutMs: config.settings.upstreamTimeoutMs,
          };
        },
      });
      draft.provider = sent.attempt.provider;
      draft.model = sent.attempt.model;
      draft.keyLabel = sent.attempt.keyLabel;
      if (sent.failed.length > 0) draft.failovers = sent.failed;
      if (!sent.ok) {
        const failure = classifyUpstreamError(sent.error);
        if (failure === 'aborted' || cancel.cancelled)
          throw new Refused('upstream_unreachable', 'client went away', 'client_abort');
        const p = sent.attempt.target.provider;
        throw new Refused(
          failure === 'timeout' ? 'upstream_timeout' : 'upstream_unreachable',
          `Provider "${p.name}" ${failure === 'timeout' ? 'timed out' : 'is unreachable'} (${describeUpstreamError(sent.error)}) at ${p.baseUrl}`,
          'upstream_unreachable',
        );
      }
      const servedPrice =
        sent.attempt.model === upstreamModel ? price : deps.prices.lookup(sent.attempt.model);

      // meter
      await relayResponse(deps, {
        res,
        upstream: sent.response,
        draft,
        meta,
        price: servedPrice,
        reservation,
        inputEstimate,
        budgeted,
        cancel,
        ...(cacheKeyHex ? { cacheKey: cacheKeyHex } : {}),
        bodyLogging,
      });
    } catch (err) {
      if (!(err instanceof Refused)) {
        // The caller answers 500; the id still goes with it.
        if (!res.headersSent) res.setHeader('x-shimmy-request-id', id);
        throw err;
      }
      draft.errorClass = err.errorClass;
      if (err.errorClass === 'client_abort') {
        draft.status = 499;
      } else {
        req.resume();
        sendError(res, family, err.kind, err.message, {
          ...idHeader,
          ...(cacheMiss ? { 'x-shimmy-cache': 'miss' } : {}),
          ...err.headers,
        });
        draft.status = res.statusCode;
      }
      draft.costUsd = 0;
      // (The limiter itself emits alert.blocked for budget and rate refusals, throttled.)
    }
    if (bodyLogging) {
      const response: LoggedMessage = {
        headers: bodyLogging.responseHeaders,
        body: bodyLogging.response.text(),
        ...(bodyLogging.response.truncated ? { truncated: true } : {}),
      };
      deps.bodyLog.save(id, time, { request: bodyLogging.request, response });
    }
    finish(deps, draft, reservation);
  };
}

async function readRequest(
  req: IncomingMessage,
  limit: number,
): Promise<{ bodyBytes: Buffer | null; json: unknown }> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return { bodyBytes: null, json: undefined };
  }
  let bodyBytes: Buffer;
  try {
    bodyBytes = await readBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new Refused('body_too_large', err.message, 'bad_request');
    throw err;
  }
  const type = String(req.headers['content-type'] ?? '');
  if (!type.includes('json') || bodyBytes.length === 0) return { bodyBytes, json: undefined };
  try {
    return { bodyBytes, json: JSON.parse(bodyBytes.toString('utf8')) };
  } catch (err) {
    throw new Refused(
      'invalid_json',
      `The request body is not valid JSON: ${(err as Error).message}`,
      'bad_request',
    );
  }
}

/** Endpoints whose answers carry token usage (and so cost money per token). */
const metered = (endpoint: RecordDraft['endpoint']) => endpoint !== 'other' && endpoint !== 'count_tokens';

function admit(
  deps: ProxyDeps,
  tool: Tool,
  family: RecordDraft['family'],
  endpoint: RecordDraft['endpoint'],
  json: unknown,
  inputTokens: number,
  model: string,
  price: PriceMatch | undefined,
): { ok: true; reservation: Reservation } | { ok: false; error: Refused } {
  const maxOut = metered(endpoint)
    ? (requestedMaxOutputTokens(endpoint, json) ?? DEFAULT_MAX_OUTPUT_TOKENS)
    : 0;
  const worstCaseUsd = !metered(endpoint)
    ? 0
    : price
      ? costUsd(family, price.price, {
          inputTokens,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: maxOut,
          reasoningTokens: 0,
        })
      : null;
  const result = deps.limiter.admit(tool, { model, estimatedTokens: inputTokens + maxOut, worstCaseUsd });
  if (result.ok) return result;
  const r = result.refusal;
  if (r.kind === 'budget') {
    return {
      ok: false,
      error: new Refused('budget_exceeded', r.message, 'budget', { 'x-should-retry': 'false' }),
    };
  }
  return { ok: false, error: new Refused('rate_limit_exceeded', r.message, 'rate_limit', r.headers) };
}

interface RelayArgs {
  res: ServerResponse;
  upstream: UpstreamResponse;
  draft: RecordDraft;
  meta: RequestMeta;
  price: PriceMatch | undefined;
  reservation: Reservation;
  inputEstimate: () => number;
  /** A USD budget applies: the running cost of a stream is checked against it. */
  budgeted: boolean;
  cancel: Cancellation;
  /** Set when the answer may be stored in the response cache. */
  cacheKey?: string;
  bodyLogging: BodyLogging | null;
}

interface BodyLogging {
  request: LoggedMessage;
  response: BodyCapture;
  responseHeaders: Record<string, string>;
}

/** Largest answer the cache keeps a copy of while relaying it. */
const MAX_CACHED_BODY = 8 * 1024 * 1024;

/** Streams the upstream answer to the client chunk by chunk, reading usage on the way. */
async function relayResponse(deps: ProxyDeps, a: RelayArgs): Promise<void> {
  const { res, upstream, draft, meta } = a;
  const contentType = String(upstream.headers['content-type'] ?? '');
  const sse = contentType.includes('text/event-stream');
  const ok = upstream.status < 400;
  const stripUsage = ok && sse && meta.addedUsage;
  draft.status = upstream.status;
  draft.streamed = sse;
  if (!ok) draft.errorClass = 'upstream_error';
  const meter = ok
    ? createResponseMeter({
        family: draft.family,
        endpoint: draft.endpoint,
        streamed: sse,
        stripUsage,
        inputEstimate: a.inputEstimate,
      })
    : null;
  // The cache keeps the upstream's own bytes; a replay runs them through the same meter.
  const copy: Buffer[] | null = a.cacheKey && upstream.status === 200 ? [] : null;
  let copied = 0;
  const headers = clientResponseHeaders(upstream.headers, stripUsage);
  Object.assign(headers, a.reservation.headers);
  headers['x-shimmy-request-id'] = draft.id;
  if (a.cacheKey) headers['x-shimmy-cache'] = 'miss';
  res.writeHead(upstream.status, headers);
  if (a.bodyLogging) a.bodyLogging.responseHeaders = safeHeaders(headers as Record<string, string>);
  let cutOff = false;
  const resume = () => upstream.body.resume();
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
      if (
        meter &&
        sse &&
        a.budgeted &&
        a.price &&
        a.reservation.check(costUsd(draft.family, a.price.price, meter.usage())) === 'over'
      ) {
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
  if (meter) {
    draft.usage = meter.usage();
    draft.estimated = sse ? !meter.final && draft.endpoint !== 'other' : false;
    if (meter.model && !draft.model) draft.model = meter.model;
  }
  if (!ok || draft.endpoint === 'count_tokens' || (draft.endpoint === 'other' && !draft.model)) {
    draft.costUsd = 0;
  } else {
    draft.costUsd = a.price ? costUsd(draft.family, a.price.price, draft.usage) : null;
  }
  const complete = draft.errorClass === null && (!sse || meter?.final === true);
  if (copy && a.cacheKey && complete && copied < MAX_CACHED_BODY) {
    deps.cache.set(a.cacheKey, {
      status: upstream.status,
      headers: Object.fromEntries(
        Object.entries(upstream.headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      body: Buffer.concat(copy, copied),
      streamed: sse,
      usage: draft.usage,
      costUsd: draft.costUsd,
      model: draft.model,
      storedAt: Date.now(),
    });
  }
}

/** Serves a cached answer: free against budgets, recorded as a hit with the money it saved. */
function replayCached(
  deps: ProxyDeps,
  res: ServerResponse,
  hit: CachedResponse,
  draft: RecordDraft,
  meta: RequestMeta,
): void {
  const meter = createResponseMeter({
    family: draft.family,
    endpoint: draft.endpoint,
    streamed: hit.streamed,
    stripUsage: hit.streamed && meta.addedUsage,
  });
  const body = Buffer.concat([meter.push(hit.body), meter.flush()]);
  res.writeHead(hit.status, {
    ...hit.headers,
    'content-length': body.length,
    'x-shimmy-cache': 'hit',
    'x-shimmy-request-id': draft.id,
  });
  res.end(body);
  draft.status = hit.status;
  draft.streamed = hit.streamed;
  draft.cacheHit = true;
  draft.usage = hit.usage;
  draft.costUsd = 0;
  draft.savedUsd = hit.costUsd ?? 0;
  draft.ttfbMs = Math.round((performance.now() - draft.startedAt) * 100) / 100;
  if (hit.costUsd) deps.cache.recordSaved(hit.costUsd);
}

function finish(deps: ProxyDeps, draft: RecordDraft, reservation: Reservation | undefined): void {
  const record = toRecord(draft, performance.now());
  deps.ledger.append(record);
  // Settle after the ledger holds the spend, in the same tick: no window where it is counted twice or not at all.
  if (reservation) {
    const tokens = record.usage.inputTokens + record.usage.outputTokens;
    if (record.status === 0 || record.errorClass === 'upstream_unreachable') reservation.release();
    else reservation.settle({ costUsd: record.costUsd, tokens });
  }
  deps.events.emit({ type: 'request.end', record });
  deps.log({
    id: record.id,
    tool: record.tool,
    provider: record.provider,
    model: record.model,
    status: record.status,
    ms: Math.round(record.latencyMs),
    ...(record.costUsd !== null ? { usd: roundUsd(record.costUsd) } : { usd: 'unpriced' }),
    ...(record.errorClass ? { error: record.errorClass } : {}),
  });
}
