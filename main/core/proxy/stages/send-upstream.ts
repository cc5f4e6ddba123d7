// Stage 6, send: every key of the provider, then its fallback chain, until one answers. Only
// failures before the first byte are retried; the client's credential never goes upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../../../shared/config.js';
import { adapters } from '../../providers/provider-adapter.js';
import { upstreamPathFor, type PathClass } from '../../route/classify-path.js';
import type { RouteTarget } from '../../route/resolve-provider.js';
import { Cancellation } from '../../upstream/cancellation.js';
import { upstreamRequestHeaders } from '../../upstream/headers.js';
import { sendWithFailover } from '../../upstream/send-with-failover.js';
import {
  classifyUpstreamError,
  describeUpstreamError,
  type UpstreamResponse,
} from '../../upstream/upstream-client.js';
import { formBodiesFor } from '../form-body.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';
import { topLevelObject, type ObjectSpan } from '../json-scan.js';
import { bodyEdits, isObject, type RequestMeta } from '../request-meta.js';
import { splicePieces } from '../splice-json.js';
import type { RecordDraft } from '../request-record.js';
import { planCredentialHeaders } from './plan-route.js';
import type { Routed } from './route-request.js';

export interface Sent {
  upstream: UpstreamResponse;
  /** The provider and model that answered (a fallback may differ from the routed one). */
  served: RouteTarget;
  cancel: Cancellation;
}

/** The request body as read, and where its top-level members lie when that is known already. */
export interface UpstreamBodySource {
  bodyBytes: Buffer | null;
  json: unknown;
  form?: Record<string, unknown>;
  top?: ObjectSpan;
  /** Top-level members to splice in for every target (the output limit admit chose). */
  edits?: Record<string, string>;
}

export async function sendUpstream(
  deps: ProxyDeps,
  x: {
    config: Config;
    req: IncomingMessage;
    res: ServerResponse;
    cls: PathClass;
    search: string;
    body: UpstreamBodySource;
    meta: RequestMeta;
    routed: Routed;
    /** The routed target and its fallbacks, in the order they are tried. */
    chain: readonly RouteTarget[];
    draft: RecordDraft;
  },
): Promise<Sent> {
  const { routed, draft, meta } = x;
  const json = x.body.json;
  const cancel = new Cancellation();
  cancelOnClose(x.res, cancel);
  const attempts = [];
  for (const target of x.chain) {
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
  const forms =
    x.body.form && x.body.bodyBytes
      ? await formBodiesFor(
          x.body.bodyBytes,
          String(x.req.headers['content-type']),
          x.body.form.model,
          attempts.map((a) => a.model),
        )
      : undefined;
  // The client's own bytes with the few members Shimmy changes spliced in, built once per model
  // (a fallback may serve another one).
  const spliced = new Map<string, Buffer[] | null>();
  const bodyFor = (model: string): Buffer[] | null => {
    let out = spliced.get(model);
    if (out === undefined) {
      const own = isObject(json) ? bodyEdits(json, meta, model, x.cls) : null;
      const edits = x.body.edits ? { ...own, ...x.body.edits } : own;
      const bytes = x.body.bodyBytes;
      const top = edits && bytes ? (x.body.top ?? topLevelObject(bytes)) : undefined;
      out = edits && bytes && top ? splicePieces(bytes, top, edits) : null;
      spliced.set(model, out);
    }
    return out;
  };
  const sent = await sendWithFailover({
    attempts,
    client: deps.upstream,
    health: deps.keyHealth,
    signal: cancel,
    build: (a) => {
      const adapter = adapters[a.target.provider.kind];
      const rewritten = bodyFor(a.model);
      const form = forms?.get(a.model);
      draft.sentUpstream = false;
      // Later ones win: the provider's defaults, the client's headers, the form's type, the credential.
      // Written into one object (each spread was a copy per request).
      const headers = upstreamRequestHeaders(x.req.headers, { ...adapter.defaultHeaders });
      if (form) headers['content-type'] = form.contentType;
      const credential = routed.plan ? planCredentialHeaders(x.req.headers) : adapter.authHeaders(a.key);
      for (const name in credential) headers[name] = credential[name]!;
      return {
        url: adapter.upstreamUrl(a.target.provider.baseUrl, upstreamPathFor(x.cls, a.model), x.search),
        method: x.req.method ?? 'GET',
        headers,
        body: rewritten ?? form?.body ?? x.body.bodyBytes,
        signal: cancel,
        timeoutMs: x.config.settings.upstreamTimeoutMs,
        onDispatched: () => (draft.sentUpstream = true),
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

/** No spend on answers nobody reads: a client that goes away aborts the upstream request at once.
 *  Made out here: a listener made in sendUpstream would share its scope, and the response would
 *  hold the body and its spliced pieces until it closes (issue 16, memory per open stream). */
function cancelOnClose(res: ServerResponse, cancel: Cancellation): void {
  res.on('close', () => {
    if (!res.writableFinished) cancel.cancel();
  });
}
