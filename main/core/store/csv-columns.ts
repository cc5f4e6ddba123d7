// The CSV export's columns as SQL, once for both engines (store/csv-sql.ts, postgres/csv-sql.ts):
// for each of ledger/export.ts's CSV_COLUMNS, the `requests` column it comes from and how csvLine
// spells it. Keyed by the CSV column, so a column added there fails to compile here until it has
// its SQL; each engine spells the kinds (and the few computed columns) in its own dialect.
import type { CSV_COLUMNS } from '../ledger/export.js';

export type CsvKind = 'text' | 'int' | 'num' | 'bool' | 'usd';

/** A stored column, or a value each engine computes: the record's time text, its failovers. */
export type CsvSource = string | { computed: 'time' | 'failovers' };

export const CSV_SQL: Readonly<Record<(typeof CSV_COLUMNS)[number], { column: CsvSource; kind: CsvKind }>> = {
  id: { column: 'id', kind: 'text' },
  time: { column: { computed: 'time' }, kind: 'text' },
  tool: { column: 'tool', kind: 'text' },
  provider: { column: 'provider', kind: 'text' },
  model: { column: 'model', kind: 'text' },
  family: { column: 'family', kind: 'text' },
  endpoint: { column: 'endpoint', kind: 'text' },
  path: { column: 'path', kind: 'text' },
  status: { column: 'status', kind: 'int' },
  latencyMs: { column: 'latency_ms', kind: 'num' },
  ttfbMs: { column: 'ttfb_ms', kind: 'num' },
  streamed: { column: 'streamed', kind: 'bool' },
  inputTokens: { column: 'input_tokens', kind: 'int' },
  cachedInputTokens: { column: 'cached_input_tokens', kind: 'int' },
  cacheWriteTokens: { column: 'cache_write_tokens', kind: 'int' },
  outputTokens: { column: 'output_tokens', kind: 'int' },
  reasoningTokens: { column: 'reasoning_tokens', kind: 'int' },
  costUsd: { column: 'cost_e10', kind: 'usd' },
  estimated: { column: 'estimated', kind: 'bool' },
  cacheHit: { column: 'cache_hit', kind: 'bool' },
  savedUsd: { column: 'saved_e10', kind: 'usd' },
  errorClass: { column: 'error_class', kind: 'text' },
  user: { column: '"user"', kind: 'text' },
  project: { column: 'project', kind: 'text' },
  keyLabel: { column: 'key_label', kind: 'text' },
  failovers: { column: { computed: 'failovers' }, kind: 'text' },
  client: { column: 'client', kind: 'text' },
  session: { column: 'session', kind: 'text' },
};
