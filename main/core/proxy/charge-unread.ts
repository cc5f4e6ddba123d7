// The cost of a request the provider may bill but whose answer Shimmy did not read in full: the
// client left after the request went out, the upstream timed out or cut the answer. The provider
// bills it all the same, so it is recorded as `estimated` at its reserved worst case (a cut stream
// keeps the meter's running estimate, when what it delivered is all it cost) — never $0 — and that
// cost stays spent against the budget.
// The same for an answer read in full that its price cannot price, under a USD budget: a budget
// counts an unpriced record as nothing spent, so every such answer went out free of the limit.
import { ZERO_USAGE, type ApiFamily } from '../../../shared/usage.js';
import { priceUsage, type PriceMatch } from '../pricing/index.js';
import type { Billing } from '../route/billable-endpoints.js';
import type { RecordDraft } from './request-record.js';

const UNREAD = new Set<RecordDraft['errorClass']>([
  'client_abort',
  'upstream_cut',
  'upstream_unreachable',
  // Shimmy failed after the request went out: the provider bills it all the same.
  'internal_error',
]);

/** Returns true when the answer was not read in full and what it used is not known (its tokens
 *  then count against TPM at no less than their estimate: tpm-unread-answer.test.ts). */
export function chargeUnread(
  draft: RecordDraft,
  x: {
    billing: Billing;
    /** What it is charged (null: model unpriced); undefined when it was never admitted. */
    estimateUsd: (() => number | null) | undefined;
    /** The upstream's status when it answered at all. */
    upstreamStatus: number | undefined;
    /** Admitted under a USD budget (its reservation held USD). */
    budgeted: boolean;
    /** Its model may think unseen (hidden-output.ts): a cut stream cost more than it delivered. */
    thinksUnseen?: boolean;
  },
): boolean {
  if (x.billing.kind === 'free' || !draft.sentUpstream || x.estimateUsd === undefined) return false;
  // The provider answered with an error: it did not bill the request.
  if (x.upstreamStatus !== undefined && x.upstreamStatus >= 400) return false;
  if (x.billing.kind === 'unpriced') {
    draft.costUsd = null;
    // A cut stream's words are what it used, as below, unless it thinks unseen.
    return unread(draft) && (!draft.streamed || x.thinksUnseen === true);
  }
  // A priced model whose answer names a dimension or tier its price has no rate for (audio output
  // with only text rates, Anthropic's Priority Tier): charged what its reservation held. That is
  // what admit counted it as; the real bill may be higher, which `estimated` says.
  if (draft.costUsd === null && x.budgeted) {
    draft.estimated = true;
    draft.costUsd = x.estimateUsd();
    return unread(draft);
  }
  // A reasoning model's answer read in full but without its usage (a provider that left out the
  // usage chunk asked for) was priced from its visible words: its thinking is missing from them
  // (reasoning-answer-without-usage.test.ts: 10 gpt-5 answers billed $0.19 on a $0.05 budget).
  if (!unread(draft) && !(x.thinksUnseen && answeredWithoutUsage(draft))) return false;
  // A stream's running estimate is what it delivered, which is what it cost only when nothing was
  // generated unseen: not a reasoning model's (its thinking came before its first word), and not
  // a plain answer's (it was whole before its first byte went out). Those are charged as unread:
  // leaving each at its first word spent 3.8× a gpt-5 budget and 5.7× a Claude one, and leaving
  // plain answers at their first bytes 6× (test/integration/cut-reasoning-stream.test.ts).
  if (draft.estimated && draft.costUsd !== 0 && draft.streamed && !x.thinksUnseen) return false;
  draft.estimated = true;
  draft.costUsd = x.estimateUsd();
  return true;
}

/** Read in full, but with no usage from the provider: priced from what Shimmy saw of it. */
const answeredWithoutUsage = (draft: RecordDraft) =>
  draft.errorClass === null && draft.estimated && !draft.usageFinal;

/** The answer was not read in full: what it used is unknown, not what Shimmy saw. */
const unread = (draft: RecordDraft) => UNREAD.has(draft.errorClass) && !draft.usageFinal;

/** The charge of an unread request: the USD its reservation held; without a budget (nothing was
 *  reserved in USD), its input and output limit (or `defaultOutput`) at the model's price. */
export function unreadEstimate(
  family: ApiFamily,
  a: {
    budgeted: boolean;
    worstCaseUsd: () => number | null;
    price: PriceMatch | undefined;
    inputEstimate: () => number;
    outputCap?: number;
  },
  defaultOutput: number,
): () => number | null {
  return () => {
    const worst = a.budgeted ? a.worstCaseUsd() : null;
    if (worst !== null) return worst;
    if (!a.price) return null;
    return priceUsage(a.price, {
      ...ZERO_USAGE,
      inputTokens: a.inputEstimate(),
      outputTokens: a.outputCap ?? defaultOutput,
    });
  };
}
