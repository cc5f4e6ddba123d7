// Postgres: the log's tool and model filters through indexes keyed by a 64-bit hash of the name
// (migration 0008) instead of the name itself. A b-tree keyed (name, time) grows by appends in the
// middle of the tree, where Postgres splits a full leaf 50:50 and the left half is never filled
// again; its "split after the new item" rule, which keeps such leaves 90% full, applies only to
// entries of at most two 8-byte keys. (hash, time) is exactly that, whatever a name's length:
// measured on the bench's data, 70–96 B/record per index before, ~31 after. The name itself is
// compared too, so a hash collision costs a recheck, never a wrong row.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { LedgerSchema } from '../schema.js';

/** The indexed expressions, spelled as migration 0008 creates them (the planner matches text). */
export const HASHED = {
  tool: sql<number>`hashtextextended(tool, 0)`,
  model: sql<number>`hashtextextended(model, 0)`,
  toolModel: sql<number>`hashtextextended(model, hashtextextended(tool, 0))`,
};

const hashOf = (v: string) => sql<number>`hashtextextended(${v}::text, 0)`;

/**
 * The conditions that let a tool, model or tool + model filter use those indexes. The hash alone,
 * not beside `tool = $1`: the planner would multiply the two selectivities as if independent,
 * expect a few dozen rows and sort thousands (measured: 35–500 ms for a pair with 5,000 rows of
 * 200,000, vs 15 ms walking the index). `exact` says the hash names one value (hashCollides).
 */
export function hashedFilter(
  tool: string | undefined,
  model: string | undefined,
  exact: boolean,
): Expression<SqlBool>[] {
  const names: Expression<SqlBool>[] = [];
  if (!exact && tool !== undefined) names.push(sql<SqlBool>`tool = ${tool}`);
  if (!exact && model !== undefined) names.push(sql<SqlBool>`model = ${model}`);
  if (tool !== undefined && model !== undefined)
    return [sql<SqlBool>`${HASHED.toolModel} = ${pairHash(tool, model)}`, ...names];
  if (tool !== undefined) return [sql<SqlBool>`${HASHED.tool} = ${hashOf(tool)}`, ...names];
  if (model !== undefined) return [sql<SqlBool>`${HASHED.model} = ${hashOf(model)}`, ...names];
  return [];
}

const pairHash = (tool: string, model: string) =>
  sql<number>`hashtextextended(${model}::text, ${hashOf(tool)})`;

/**
 * Whether another stored tool, model or tool + model pair has the filter's hash. The dictionary
 * (`terms`) holds every name ever written, in the same transaction as its rows, so "no" is exact.
 */
export async function hashCollides(
  db: Kysely<LedgerSchema>,
  tool: string | undefined,
  model: string | undefined,
): Promise<boolean> {
  if (tool === undefined && model === undefined) return false;
  const t = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const one = (col: 'tool' | 'model', v: string) =>
    t
      .selectFrom('terms')
      .select(sql.lit(1).as('x'))
      .where('col', '=', col)
      .where('value', '<>', v)
      .where(sql<SqlBool>`hashtextextended(value, 0) = ${hashOf(v)}`);
  if (tool === undefined || model === undefined)
    return (
      (await (tool !== undefined ? one('tool', tool) : one('model', model!)).limit(1).execute()).length > 0
    );
  const pair = t
    .selectFrom('terms as a')
    .innerJoin('terms as b', (j) => j.on('a.col', '=', 'tool').on('b.col', '=', 'model'))
    .select(sql.lit(1).as('x'))
    .where(sql<SqlBool>`(a.value, b.value) <> (${tool}, ${model})`)
    .where(sql<SqlBool>`hashtextextended(b.value, hashtextextended(a.value, 0)) = ${pairHash(tool, model)}`);
  return (await pair.limit(1).execute()).length > 0;
}

/** `col IN (values)` for tool or model, in a form the hashed index can serve (text search). */
export function hashedIn(col: 'tool' | 'model', values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`(${HASHED[col]} in (${sql.join(values.map(hashOf))}) and ${sql.ref(col)} in (${sql.join([...values])}))`;
}
