// What admit journals for a request before it goes out (ledger.reserve). Its cost without a USD
// budget is an estimate priced only when the ledger reads it: the write queue builds a journal row
// only for a request still open when its batch is written, and drops the reservation unread when
// the request settled first — at c=1 nearly always. Pricing it up front cost every request ~6 µs
// of the event loop's time (`npm run bench --profile`: priceUsage under admit) for a number
// almost never read.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { PendingRequest } from '../ledger/types.js';

export class JournalEntry implements PendingRequest {
  #costUsd: number | null | undefined;

  constructor(
    readonly id: string,
    readonly time: string,
    readonly tool: string,
    readonly record: Partial<LedgerRecord>,
    /** The cost, computed at most once, on first read (pure: its inputs are fixed at admission). */
    private readonly priceIt: () => number | null,
  ) {}

  get costUsd(): number | null {
    if (this.#costUsd === undefined) this.#costUsd = this.priceIt();
    return this.#costUsd;
  }
}
