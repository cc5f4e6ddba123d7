// The admitted request journaled with its worst case before it goes out: if Shimmy dies
// mid-request, the next start records it at that cost (settled by the record with the same id).
import type { Tool } from '../../../../../shared/config.js';
import type { LedgerRecord } from '../../../../../shared/ledger.js';
import { ZERO_USAGE } from '../../../../../shared/usage.js';
import { priceUsage, type PriceMatch } from '../../../pricing/index.js';
import { JournalEntry } from '../../journal-entry.js';
import type { ProxyDeps } from '../../proxy-deps.js';
import type { RecordDraft } from '../../request-record.js';
import { TPM_OUTPUT_ESTIMATE } from './output-limit.js';

export function journalAdmitted(
  deps: ProxyDeps,
  draft: RecordDraft,
  tool: Tool,
  x: {
    reservedUsd: number | null;
    price: PriceMatch | undefined;
    budgeted: boolean;
    bodyLength: number | undefined;
    outputCap: number | undefined;
  },
): void {
  const { reservedUsd, price } = x;
  // Without a USD budget no worst case was reserved, but the provider bills the request all the
  // same: the journal holds a cheap estimate instead of $0 — input at ~4 body bytes per token (no
  // tokenizer on this path), output at its limit or TPM_OUTPUT_ESTIMATE — at the model's price.
  const bodyLength = x.bodyLength ?? 0;
  const outputTokens = x.outputCap ?? TPM_OUTPUT_ESTIMATE;
  const journalUsd =
    reservedUsd !== 0 || !price || x.budgeted
      ? () => reservedUsd
      : () => priceUsage(price, { ...ZERO_USAGE, inputTokens: Math.ceil(bodyLength / 4), outputTokens });
  const record: Partial<LedgerRecord> = {
    provider: draft.provider,
    model: draft.model,
    family: draft.family,
    endpoint: draft.endpoint,
    path: draft.path,
    streamed: draft.streamed,
  };
  if (draft.user) record.user = draft.user;
  if (draft.project) record.project = draft.project;
  deps.ledger.reserve(new JournalEntry(draft.id, draft.timeIso, tool.name, record, journalUsd));
}
