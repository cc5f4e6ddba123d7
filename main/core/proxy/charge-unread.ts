// The cost of a request the provider may bill but whose answer Shimmy did not read in full: the
// client left after the request went out, the upstream timed out or cut the answer. The provider
// bills it all the same, so it is recorded as `estimated` at its reserved worst case (a cut stream
// keeps the meter's running estimate) — never $0 — and that cost stays spent against the budget.
import type { Billing } from '../route/billable-endpoints.js';
import type { RecordDraft } from './request-record.js';

const UNREAD = new Set<RecordDraft['errorClass']>(['client_abort', 'upstream_cut', 'upstream_unreachable']);

export function chargeUnread(
  draft: RecordDraft,
  x: {
    billing: Billing;
    /** The worst case reserved at admit (null: model unpriced; undefined: never admitted). */
    worstCaseUsd: number | null | undefined;
    /** The upstream's status when it answered at all. */
    upstreamStatus: number | undefined;
  },
): void {
  if (x.billing.kind === 'free' || !draft.sentUpstream || x.worstCaseUsd === undefined) return;
  // The provider answered with an error: it did not bill the request.
  if (x.upstreamStatus !== undefined && x.upstreamStatus >= 400) return;
  if (x.billing.kind === 'unpriced') {
    draft.costUsd = null;
    return;
  }
  if (!UNREAD.has(draft.errorClass)) return;
  if (draft.estimated && draft.costUsd !== 0) return;
  draft.estimated = true;
  draft.costUsd = x.worstCaseUsd;
}
