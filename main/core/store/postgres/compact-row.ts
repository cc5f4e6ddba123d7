// Postgres bytes per record (migration 0009): two text columns that usually repeat others are
// stored as NULL when they do — `family` when it equals `provider` (openai/openai,
// anthropic/anthropic), `path` when it is its endpoint's one canonical path — and decoded on read
// (record-row.ts fromRow), so every record reads back exactly as appended. SQLite stores them
// verbatim (its varint records are already compact); reading either engine goes through the same
// decoder, which leaves a non-NULL value alone.
import { sql, type RawBuilder } from 'kysely';
import type { RequestRow } from '../record-row.js';

/**
 * The one path of each endpoint that has exactly one (route/classify-path.ts). Entries are never
 * changed or removed once shipped: stored NULLs mean these paths. Adding one is safe.
 */
export const CANONICAL_PATH: Readonly<Record<string, string>> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  responses: '/v1/responses',
  embeddings: '/v1/embeddings',
  messages: '/v1/messages',
  count_tokens: '/v1/messages/count_tokens',
  audio_speech: '/v1/audio/speech',
};

/** A row as the Postgres table stores it. The left-out values come back in record-row.ts's
 *  rowReader (one definition, also run on the export workers). */
export function packRow(row: RequestRow): RequestRow {
  return {
    ...row,
    family: row.family === row.provider ? null : row.family,
    path: row.path !== null && row.path === CANONICAL_PATH[row.endpoint] ? null : row.path,
  };
}

/** `path` as SQL on Postgres, for the log's text search (`path IN (…)`). */
export function pathSql(): RawBuilder<string> {
  const cases = Object.entries(CANONICAL_PATH).map(([e, p]) => sql`when ${sql.lit(e)} then ${sql.lit(p)}`);
  return sql<string>`coalesce(path, case endpoint ${sql.join(cases, sql` `)} end)`;
}
