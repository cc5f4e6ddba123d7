// Which values of the searchable text columns the `terms` table already holds, so a batch writes
// only values never seen before (almost always none: tools, models, users and paths repeat).
import type { RequestRow } from '../store/record-row.js';
import { SEARCH_COLUMNS, type TermsTable } from '../store/schema.js';

/** A bound on memory if some column turns out to be high-cardinality; forgetting only costs re-inserts. */
const MAX_KNOWN = 100_000;

const keyOf = (t: TermsTable) => `${t.col}\u0000${t.value}`;

export class KnownTerms {
  private readonly known = new Set<string>();

  constructor(rows: Iterable<TermsTable> = []) {
    this.remember(rows);
  }

  /** The terms of `rows` not yet in the table, each once. */
  fresh(rows: readonly RequestRow[]): TermsTable[] {
    const out = new Map<string, TermsTable>();
    for (const r of rows)
      for (const col of SEARCH_COLUMNS) {
        const value = r[col];
        if (value === null || value === undefined) continue;
        const t = { col, value };
        const k = keyOf(t);
        if (!this.known.has(k)) out.set(k, t);
      }
    return [...out.values()];
  }

  /** Called once the terms are committed (a failed batch is retried with them). */
  remember(terms: Iterable<TermsTable>): void {
    for (const t of terms) {
      if (this.known.size >= MAX_KNOWN) this.known.clear();
      this.known.add(keyOf(t));
    }
  }
}
