// The CSV export's lines built by Postgres itself, as store/csv-sql.ts builds them on SQLite: each
// field spelled exactly as ledger/export.ts's csvLine spells it (the export tests check both
// engines byte for byte), so the proxy's thread receives a page of text instead of decoding
// rows through `pg` and formatting them. Columns packed by migration 0009 (`family`, `path`)
// are decoded here as compact-row.ts decodes them.
import { sql, type RawBuilder } from 'kysely';
import { pathSql } from './compact-row.js';
import { CSV_COLUMNS } from '../../ledger/export.js';
import { CSV_SQL, type CsvKind } from '../csv-columns.js';

const QUOTED = `(strpos(E, '"') > 0 OR strpos(E, ',') > 0 OR strpos(E, chr(13)) > 0 OR strpos(E, chr(10)) > 0)`;
const FORMULA = `left(E, 1) IN ('=', '+', '-', '@', chr(9), chr(13))`;

/** Text: '' for null; `'` before a formula's first character; quoted when it holds `",\r\n`. */
function text(expr: string): string {
  const at = (s: string) => s.replaceAll('E', `(${expr})`);
  const p = `(CASE WHEN ${at(FORMULA)} THEN '''' || (${expr}) ELSE (${expr}) END)`;
  return (
    `(CASE WHEN (${expr}) IS NULL THEN '' ` +
    `WHEN NOT (${at(QUOTED)} OR ${at(FORMULA)}) THEN (${expr}) ` +
    `WHEN ${at(QUOTED)} THEN '"' || replace(${p}, '"', '""') || '"' ELSE ${p} END)`
  );
}

/**
 * A double as JavaScript's String() writes it: integers bare; else Postgres's own shortest
 * round-trip text (extra_float_digits ≥ 1, the default since 12), which is JavaScript's for the
 * 0.01 ms latencies the proxy records (neither uses an exponent between 1e-4 and 1e15).
 */
const num = (expr: string) =>
  `(CASE WHEN ${expr} IS NULL THEN '' WHEN ${expr} = trunc(${expr}) AND abs(${expr}) < 1e15 ` +
  `THEN trunc(${expr})::bigint::text ELSE ${expr}::text END)`;

/** 1e-10 USD units in fixed point without trailing zeros (export.ts usdText); '' for null. */
const usd = (expr: string) =>
  `(CASE WHEN ${expr} IS NULL THEN '' ELSE rtrim(rtrim((${expr} / 10000000000)::text || '.' || ` +
  `lpad((${expr} % 10000000000)::text, 10, '0'), '0'), '.') END)`;

const int = (expr: string) => `${expr}::text`;

const bool = (expr: string) => `(CASE WHEN ${expr} THEN 'true' ELSE 'false' END)`;

/** toISOString() of time_ms, in integers, unless the record kept its own text. */
const TIME =
  `coalesce(extra::jsonb ->> 'time', to_char(to_timestamp(time_ms / 1000) AT TIME ZONE 'UTC', ` +
  `'YYYY-MM-DD"T"HH24:MI:SS') || '.' || lpad((time_ms % 1000)::text, 3, '0') || 'Z')`;
const FAILOVERS = `(SELECT string_agg(f, ';') FROM jsonb_array_elements_text(extra::jsonb -> 'failovers') AS x(f))`;

/** One `requests` row as its CSV line, `\r\n` included; `path` decoded by compact-row's pathSql. */
export function csvLinePostgres(): RawBuilder<string> {
  const kinds: Record<CsvKind, (expr: string) => string> = { text, int, num, bool, usd };
  // Columns migration 0009 packs, decoded as compact-row.ts decodes them.
  const stored: Record<string, string> = { family: 'coalesce(family, provider)' };
  const computed = { time: TIME, failovers: FAILOVERS };
  const fields = (pathText: string) =>
    CSV_COLUMNS.map((c) => {
      const { column, kind } = CSV_SQL[c];
      const expr =
        typeof column !== 'string'
          ? computed[column.computed]
          : c === 'path'
            ? pathText
            : (stored[c] ?? column);
      return kinds[kind](expr);
    });
  // The path's CASE (compact-row.ts, literals only) is spliced in wherever text() names it.
  const parts = fields('\u0000').join(` || ',' || `).split('\u0000');
  const pieces = parts.map((p) => sql.raw(p));
  return sql<string>`(${sql.join(pieces, pathSql())} || chr(13) || chr(10))`;
}
