// The CSV export's lines built by SQLite itself, on the read worker (issue 15: formatting a month
// on the main thread — rows copied over from the worker, ~25 µs each, then garbage — held the
// proxy's event loop 40 ms at p99). A page comes back as one string: the main thread only writes
// it. Each field is spelled exactly as ledger/export.ts's csvLine spells it (RFC 4180 quoting, a
// `'` before text a spreadsheet would run, USD in fixed point), which the export tests check on
// both paths. The columns and their kinds are csv-columns.ts's, shared with postgres/csv-sql.ts.
import { sql, type RawBuilder } from 'kysely';
import { CSV_COLUMNS } from '../ledger/export.js';
import { CSV_SQL, type CsvKind } from './csv-columns.js';

const q = (s: string) => sql.raw<string>(s);

/** Text: '' for null; `'` before a formula's first character; quoted when it holds `",\r\n`.
 *  Most values need neither, and take the first branch after one GLOB and one substr. */
function text(expr: string): string {
  const guard = `substr(${expr}, 1, 1) IN ('=', '+', '-', '@', char(9), char(13))`;
  const p = `(CASE WHEN ${guard} THEN '''' || ${expr} ELSE ${expr} END)`;
  return (
    `(CASE WHEN ${expr} IS NULL THEN '' ` +
    `WHEN NOT (${expr} GLOB '*[",\r\n]*' OR ${guard}) THEN ${expr} ` +
    `WHEN ${expr} GLOB '*[",\r\n]*' THEN '"' || replace(${p}, '"', '""') || '"' ELSE ${p} END)`
  );
}

/** An integer column as text. */
const int = (expr: string) => `CAST(${expr} AS TEXT)`;

/**
 * A number as JavaScript's String() writes it: integers bare, else the fewest of 15 or 16
 * significant digits that read back as the same double (what String() picks). Latencies are
 * rounded to 0.01 ms by the proxy, so 15 always do; a value that needs 17 gets SQLite's 17
 * digits, whose last one can differ from JavaScript's.
 */
function num(expr: string): string {
  const g = (n: number) => `printf('%.${n}g', ${expr})`;
  return (
    `(CASE WHEN ${expr} IS NULL THEN '' WHEN ${expr} = CAST(${expr} AS INTEGER) AND abs(${expr}) < 1e15 ` +
    `THEN CAST(CAST(${expr} AS INTEGER) AS TEXT) ` +
    `WHEN CAST(${g(15)} AS REAL) = ${expr} THEN ${g(15)} ` +
    `WHEN CAST(${g(16)} AS REAL) = ${expr} THEN ${g(16)} ELSE printf('%!.17g', ${expr}) END)`
  );
}

/** 1e-10 USD units in fixed point without trailing zeros (export.ts usdText); '' for null. */
function usd(expr: string): string {
  return `(CASE WHEN ${expr} IS NULL THEN '' ELSE rtrim(rtrim(printf('%d.%010d', ${expr} / 10000000000, ${expr} % 10000000000), '0'), '.') END)`;
}

const bool = (expr: string) => `(CASE WHEN ${expr} = 1 THEN 'true' ELSE 'false' END)`;

/** toISOString() of time_ms, in integers (no float seconds), unless the record kept its own text. */
const TIME = `coalesce(json_extract(extra, '$.time'), strftime('%Y-%m-%dT%H:%M:%S', time_ms / 1000, 'unixepoch') || '.' || printf('%03d', time_ms % 1000) || 'Z')`;
const FAILOVERS = `(SELECT group_concat(value, ';') FROM json_each(extra, '$.failovers'))`;

const KINDS: Record<CsvKind, (expr: string) => string> = { text, int, num, bool, usd };
const COMPUTED = { time: TIME, failovers: FAILOVERS };

/** In CSV_COLUMNS' order (ledger/export.ts), as csv-columns.ts maps them. */
const FIELDS = CSV_COLUMNS.map((c) => {
  const { column, kind } = CSV_SQL[c];
  return KINDS[kind](typeof column === 'string' ? column : COMPUTED[column.computed]);
});

/** One `requests` row as its CSV line, `\r\n` included. */
export const CSV_LINE: RawBuilder<string> = q(`(${FIELDS.join(` || ',' || `)} || char(13, 10))`);
