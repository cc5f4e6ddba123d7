// Stage 8, settle: the ledger record, then the reservation settled with the real cost, in the
// same tick (no window where the spend is counted twice or not at all), then the live event.
import { performance } from 'node:perf_hooks';
import { roundUsd } from '../../../../shared/money.js';
import type { Reservation } from '../../limits/index.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { toRecord, type RecordDraft } from '../request-record.js';

/** `unread`: the answer was not read in full and what it used is unknown (charge-unread.ts). */
export function settle(
  deps: ProxyDeps,
  draft: RecordDraft,
  reservation: Reservation | undefined,
  unread = false,
): void {
  const record = toRecord(draft, performance.now());
  // Refused because the ledger cannot be written: queuing a record per refusal would only grow memory.
  if (record.errorClass !== 'ledger_unavailable') deps.ledger.append(record);
  if (reservation) {
    const tokens = record.usage.inputTokens + record.usage.outputTokens;
    // Only a request that never reached a provider is free; one that did may be billed, and its
    // (possibly estimated) cost stays spent.
    if (!draft.sentUpstream) reservation.release();
    else reservation.settle({ costUsd: record.costUsd, tokens, unread });
  }
  deps.events.emit({ type: 'request.end', record });
  // A literal of fixed shape, not conditional spreads (slow in V8): one per request.
  const line: Record<string, unknown> = {
    id: record.id,
    tool: record.tool,
    provider: record.provider,
    model: record.model,
    status: record.status,
    ms: Math.round(record.latencyMs),
    usd: record.costUsd !== null ? roundUsd(record.costUsd) : 'unpriced',
  };
  if (record.errorClass) line.error = record.errorClass;
  deps.log(line);
}
