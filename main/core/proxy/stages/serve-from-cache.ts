// Stage 4, cache: a hit is served before budgets are touched, because it costs nothing. A hit is
// recorded with the money it saved; a miss remembers the key so the answer can be stored. A body
// in memory is served in the same turn; one that must first be read from disk is awaited, so that
// read never holds other requests (issue 16).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Config, Tool } from '../../../../shared/config.js';
import { cacheKey, isReplayable, type CachedResponse } from '../../cache/index.js';
import { createResponseMeter } from '../../meter/index.js';
import { turnFor, TURN_BYTES } from '../copy-turns.js';
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
  const served = (hit: CachedResponse | undefined): CacheLookup | Promise<CacheLookup> => {
    if (!hit) return { hit: false, key };
    const replayed = replayCached(deps, x.res, hit, draft, x.meta);
    return replayed ? replayed.then(() => ({ hit: true })) : { hit: true };
  };
  return found instanceof Promise ? found.then(served) : served(found);
}

/** A promise only when a big stored stream must first be stripped over several turns. */
function replayCached(
  deps: ProxyDeps,
  res: ServerResponse,
  hit: CachedResponse,
  draft: RecordDraft,
  meta: RequestMeta,
): Promise<void> | undefined {
  // The usage is the stored one: the meter only runs to strip the usage chunk the client did not
  // ask for. A big body is stripped a turn's share at a time (copy-turns.ts): in one turn, 32 MB
  // held every other request for as long as the meter took to scan it.
  if (!(hit.streamed && meta.addedUsage)) return void answer(deps, res, hit, draft, [hit.body]);
  if (hit.body.length <= STRIP_VIEW_BYTES)
    return void answer(deps, res, hit, draft, stripped(hit.body, draft));
  return strippedInTurns(hit.body, draft).then((pieces) => answer(deps, res, hit, draft, pieces));
}

function answer(
  deps: ProxyDeps,
  res: ServerResponse,
  hit: CachedResponse,
  draft: RecordDraft,
  body: readonly Buffer[],
): void {
  let bytes = 0;
  for (const piece of body) bytes += piece.length;
  res.writeHead(hit.status, {
    ...hit.headers,
    'content-length': bytes,
    'x-shimmy-cache': 'hit',
    'x-shimmy-request-id': draft.id,
  });
  for (const piece of body.slice(0, -1)) if (piece.length > 0) res.write(piece);
  res.end(body.at(-1));
  draft.status = hit.status;
  draft.streamed = hit.streamed;
  draft.cacheHit = true;
  draft.usage = hit.usage;
  draft.costUsd = 0;
  draft.savedUsd = hit.costUsd ?? 0;
  draft.ttfbMs = Math.round((performance.now() - draft.startedAt) * 100) / 100;
  if (hit.costUsd) deps.cache.recordSaved(hit.costUsd);
}

const stripMeter = (draft: RecordDraft) =>
  createResponseMeter({ family: draft.family, endpoint: draft.endpoint, streamed: true, stripUsage: true });

/** The stored SSE bytes without the usage chunk Shimmy asked for on the client's behalf. */
function stripped(sse: Buffer, draft: RecordDraft): Buffer[] {
  const meter = stripMeter(draft);
  return [meter.push(sse), meter.flush()];
}

/** Bytes of a stored stream the meter strips in one turn. It scans ~25× slower than a copy (845 ms
 *  of main-thread CPU for a 32 MB stream on the bench VM, round 22): each view takes a whole
 *  turn's share of copy-turns' budget, ~1–2 ms here. */
const STRIP_VIEW_BYTES = 64 * 1024;

/** The same, a view per turn; the pieces are written as they are, never joined. */
async function strippedInTurns(sse: Buffer, draft: RecordDraft): Promise<Buffer[]> {
  const meter = stripMeter(draft);
  const out: Buffer[] = [];
  for (let at = 0; at < sse.length; at += STRIP_VIEW_BYTES) {
    await turnFor(TURN_BYTES);
    out.push(meter.push(sse.subarray(at, at + STRIP_VIEW_BYTES)));
  }
  out.push(meter.flush());
  return out;
}
