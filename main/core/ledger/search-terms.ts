// Which values of the searchable text columns the `terms` table already holds, so a batch writes
// only values never seen before (almost always none: tools, models, users and paths repeat).
import type { RequestRow } from '../store/record-row.js';
import { SEARCH_COLUMNS, type TermsTable } from '../store/schema.js';

/** A bound on memory if some column turns out to be high-cardinality; forgetting only costs re-inserts. */
const MAX_KNOWN = 100_000;

export class KnownTerms {
  // Per column, its values: a lookup builds no key string (this runs for every request).
  private readonly known = new Map<string, Set<string>>();
  private size = 0;

  constructor(
    rows: Iterable<TermsTable> = [],
    private readonly max = MAX_KNOWN,
  ) {
    this.remember(rows);
  }

  /** The terms of `rows` not yet in the table, each once. */
  fresh(rows: readonly RequestRow[]): TermsTable[] {
    let out: KnownTerms | undefined;
    let prev: RequestRow | undefined;
    for (const r of rows) {
      for (const col of SEARCH_COLUMNS) {
        const value = r[col];
        // The previous row's value was looked up already (and, if new, is in `out`).
        if (value === null || value === undefined || (prev !== undefined && prev[col] === value)) continue;
        if (this.known.get(col)?.has(value)) continue;
        (out ??= new KnownTerms([], Infinity)).remember([{ col, value }]);
      }
      prev = r;
    }
    return out ? out.all() : [];
  }

  private all(): TermsTable[] {
    const terms: TermsTable[] = [];
    for (const [col, values] of this.known)
      for (const value of values) terms.push({ col, value } as TermsTable);
    return terms;
  }

  /** Called once the terms are committed (a failed batch is retried with them). */
  remember(terms: Iterable<TermsTable>): void {
    for (const t of terms) {
      if (this.size >= this.max) {
        this.known.clear();
        this.size = 0;
      }
      let values = this.known.get(t.col);
      if (!values) this.known.set(t.col, (values = new Set()));
      if (!values.has(t.value)) {
        values.add(t.value);
        this.size++;
      }
    }
  }
}
