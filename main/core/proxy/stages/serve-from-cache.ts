// Stage 4, cache: a hit is served before budgets are touched, because it costs nothing. A hit is
// recorded with the money it saved; a miss remembers the key so the answer can be stored. A body
// in memory is served in the same turn; one that must first be read from disk is awaited, so that
// read never holds other requests (issue 16).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Config, Tool } from '../../../../shared/config.js';
import { cacheKey, isReplayable, type CachedResponse } from '../../cache/index.js';
import { createResponseMeter } from '../../meter/index.js';
import type { ProxyDeps } from '../proxy-deps.js';
import type { RequestMeta } from '../request-meta.js';
import type { RecordDraft } from '../request-record.js';
import type { Routed } from './route-request.js';

export type CacheLookup = { hit: true } | { hit: false; key?: string };

export function serveFromCache(
  deps: ProxyDeps,
  x: {
    config: Config;
    tool: Tool;
    req: IncomingMessage;
    res: ServerResponse;
    json: unknown;
    meta: RequestMeta;
    routed: Routed;
    draft: RecordDraft;
  },
): CacheLookup | Promise<CacheLookup> {
  const { config, draft } = x;
  // A plan answer belongs to the credential that paid for it: never stored, never replayed.
  if (x.routed.plan) return { hit: false };
  const cacheable =
    (x.tool.cache ?? config.settings.cacheEnabled) &&
    isReplayable({
      endpoint: draft.endpoint,
      body: x.json,
      headers: x.req.headers,
      policy: config.settings.cachePolicy,
    });
  if (!cacheable) return { hit: false };
  const key = cacheKey({
    provider: x.routed.target.provider.name,
    model: x.routed.target.upstreamModel,
    endpoint: draft.endpoint,
    body: x.json,
  });
  const found = deps.cache.get(key);
  const served = (hit: CachedResponse | undefined): CacheLookup => {
    if (!hit) return { hit: false, key };
    replayCached(deps, x.res, hit, draft, x.meta);
    return { hit: true };
  };
  return found instanceof Promise ? found.then(served) : served(found);
}

function replayCached(
  deps: ProxyDeps,
  res: ServerResponse,
  hit: CachedResponse,
  draft: RecordDraft,
  meta: RequestMeta,
): void {
  // The usage is the stored one: the meter only runs to strip the usage chunk the client did not
  // ask for. Run on every replay, it copied and scanned a big body in one turn.
  const body = hit.streamed && meta.addedUsage ? stripped(hit.body, draft) : hit.body;
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

/** The stored SSE bytes without the usage chunk Shimmy asked for on the client's behalf. */
function stripped(sse: Buffer, draft: RecordDraft): Buffer {
  const meter = createResponseMeter({
    family: draft.family,
    endpoint: draft.endpoint,
    streamed: true,
    stripUsage: true,
  });
  return Buffer.concat([meter.push(sse), meter.flush()]);
}
