// The log's free-text search without scanning text at 1M records: a substring of a tool, provider,
// model, path, user, project, key label, error class or client is looked up in the small `terms`
// dictionary, and the rows are found by `col IN (those values)`; a request or session id matches
// from its start, through its index. A text that names nothing is answered from indexes alone.
import { sql, type ExpressionBuilder, type Expression, type SqlBool, type Kysely } from 'kysely';
import type { EngineKind } from './migrations.js';
import type { LedgerSchema, SearchColumn } from './schema.js';
import { hashedIn } from './postgres/hashed-keys.js';
import { pathSql } from './postgres/compact-row.js';

/** Past this many matching values a column is matched by LIKE per row instead (same answer). */
const MAX_VALUES = 200;

export interface TextMatch {
  /** The search text, lower-cased. */
  text: string;
  byColumn: Map<SearchColumn, string[]>;
}

export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function matchText(db: Kysely<LedgerSchema>, raw: string): Promise<TextMatch> {
  const text = raw.toLowerCase();
  const rows = await db
    .selectFrom('terms')
    .select(['col', 'value'])
    .where(sql<boolean>`lower(value) like ${likeContains(text)} escape '\\'`)
    .execute();
  const byColumn = new Map<SearchColumn, string[]>();
  for (const r of rows) byColumn.set(r.col, [...(byColumn.get(r.col) ?? []), r.value]);
  return { text, byColumn };
}

type Eb = ExpressionBuilder<LedgerSchema, 'requests'>;

/** `col` starts with `prefix`: an index range on SQLite (binary order), LIKE on Postgres (any collation). */
function startsWith(eb: Eb, col: 'id' | 'session', prefix: string, kind: EngineKind): Expression<SqlBool> {
  if (kind === 'sqlite') return eb.and([eb(col, '>=', prefix), eb(col, '<', `${prefix}\u{10FFFF}`)]);
  return eb(col, 'like', `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

export function textCondition(eb: Eb, m: TextMatch, kind: EngineKind): Expression<SqlBool> {
  const or: Expression<SqlBool>[] = [];
  for (const [col, values] of m.byColumn) {
    if (values.length > MAX_VALUES)
      or.push(
        sql<SqlBool>`lower(${kind === 'postgres' && col === 'path' ? pathSql() : sql.ref(col)}) like ${likeContains(m.text)} escape '\\'`,
      );
    // SQLite: unary + keeps the planner from gathering every row of a common value through its
    // index and sorting them; walking newest-first stops at the page's last match.
    else if (kind === 'sqlite') or.push(eb(sql<string>`+${sql.ref(col)}`, 'in', values));
    // Postgres indexes tool and model by a hash of the name (migration 0008, hashed-keys.ts).
    else if (col === 'tool' || col === 'model') or.push(hashedIn(col, values));
    // Postgres stores a canonical path as NULL (0009, compact-row.ts).
    else if (col === 'path') or.push(eb(pathSql(), 'in', values));
    else or.push(eb(col, 'in', values));
  }
  or.push(startsWith(eb, 'id', m.text, kind), startsWith(eb, 'session', m.text, kind));
  return eb.or(or);
}
