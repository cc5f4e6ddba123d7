// Stage 6, send: every key of the provider, then its fallback chain, until one answers. Only
// failures before the first byte are retried; the client's credential never goes upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../../../shared/config.js';
import { adapters } from '../../providers/provider-adapter.js';
import { upstreamPathFor, type PathClass } from '../../route/classify-path.js';
import { fallbackChain, type RouteTarget } from '../../route/resolve-provider.js';
import { Cancellation } from '../../upstream/cancellation.js';
import { upstreamRequestHeaders } from '../../upstream/headers.js';
import { sendWithFailover } from '../../upstream/send-with-failover.js';
import {
  classifyUpstreamError,
  describeUpstreamError,
  type UpstreamResponse,
} from '../../upstream/upstream-client.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';
import { isObject, rewriteBody, type RequestMeta } from '../request-meta.js';
import type { RecordDraft } from '../request-record.js';
import type { Routed } from './route-request.js';

export interface Sent {
  upstream: UpstreamResponse;
  /** The provider and model that answered (a fallback may differ from the routed one). */
  served: RouteTarget;
  cancel: Cancellation;
}

export async function sendUpstream(
  deps: ProxyDeps,
  x: {
    config: Config;
    req: IncomingMessage;
    res: ServerResponse;
    cls: PathClass;
    search: string;
    body: { bodyBytes: Buffer | null; json: unknown };
    meta: RequestMeta;
    routed: Routed;
    draft: RecordDraft;
  },
): Promise<Sent> {
  const { routed, draft, meta } = x;
  const json = x.body.json;
  const cancel = new Cancellation();
  // No spend on answers nobody reads: a client that goes away aborts the upstream request at once.
  x.res.on('close', () => {
    if (!x.res.writableFinished) cancel.cancel();
  });
  const attempts = [];
  for (const target of fallbackChain(x.config, routed.target)) {
    const keys =
      target.provider === routed.target.provider ? routed.keys : await deps.vault.keys(target.provider.name);
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
        ? rewriteBody(json, { ...meta, model: routed.requestedModel }, a.model, x.cls)
        : null;
      return {
        url: adapter.upstreamUrl(a.target.provider.baseUrl, upstreamPathFor(x.cls, a.model), x.search),
        method: x.req.method ?? 'GET',
        headers: {
          ...adapter.defaultHeaders,
          ...upstreamRequestHeaders(x.req.headers),
          ...adapter.authHeaders(a.key),
        },
        body: rewritten ? Buffer.from(JSON.stringify(rewritten)) : x.body.bodyBytes,
        signal: cancel,
        timeoutMs: x.config.settings.upstreamTimeoutMs,
      };
    },
  });
  draft.provider = sent.attempt.provider;
  draft.model = sent.attempt.model;
  draft.keyLabel = sent.attempt.keyLabel;
  if (sent.failed.length > 0) draft.failovers = sent.failed;
  if (sent.ok) return { upstream: sent.response, served: sent.attempt.target, cancel };

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
