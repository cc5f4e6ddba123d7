// A ledger record ⇄ a `requests` row. Fields with a column are stored natively (small, indexed,
// summable); every other field — optional usage dimensions, failovers, fields a newer version
// adds — goes into the `extra` JSON, so nothing a record carries is lost on the way through.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { RequestsTable } from './schema.js';
import { CANONICAL_PATH } from './postgres/compact-row.js';
import { isIsoOf, isoTimeMs } from './iso-time.js';

const SCALE = 1e10;
export const toE10 = (usd: number): number => Math.round(usd * SCALE);
export const fromE10 = (n: number): number => Math.round(n) / SCALE;

export type RequestRow = Omit<RequestsTable, 'seq'>;

const COLUMN_FIELDS = new Set([
  'id',
  'time',
  'tool',
  'provider',
  'model',
  'family',
  'endpoint',
  'path',
  'status',
  'latencyMs',
  'ttfbMs',
  'streamed',
  'usage',
  'costUsd',
  'estimated',
  'cacheHit',
  'savedUsd',
  'errorClass',
  'user',
  'project',
  'keyLabel',
  'client',
  'session',
]);
const USAGE_COLUMNS = new Set([
  'inputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'cacheWrite1hTokens',
  'webSearchRequests',
]);

/** `timeMs`: `r.time` already parsed by the caller (the ledger's append parses it once for its
 *  check and its local day). */
export function toRow(r: LedgerRecord, day: string, timeMs = isoTimeMs(r.time)): RequestRow {
  // for…in, not Object.entries: this runs for every request on the proxy's thread, and the entry
  // arrays were ~1.8 kB of garbage per request (a record is a plain object: no inherited keys).
  let extra: Record<string, unknown> | undefined;
  for (const k in r) {
    const v = r[k as keyof LedgerRecord];
    if (v !== undefined && !COLUMN_FIELDS.has(k)) (extra ??= {})[k] = v;
  }
  let usageExtra: Record<string, unknown> | undefined;
  for (const k in r.usage) {
    const v = r.usage[k as keyof LedgerRecord['usage']];
    if (v !== undefined && !USAGE_COLUMNS.has(k)) (usageExtra ??= {})[k] = v;
  }
  if (usageExtra) (extra ??= {}).usage = usageExtra;
  // A time not in toISOString()'s exact form is kept verbatim, so get() returns what was appended.
  if (!isIsoOf(r.time, timeMs)) (extra ??= {}).time = r.time;
  return {
    id: r.id,
    time_ms: timeMs,
    day,
    tool: r.tool,
    provider: r.provider,
    model: r.model,
    family: r.family,
    endpoint: r.endpoint,
    path: r.path,
    status: r.status,
    latency_ms: r.latencyMs,
    ttfb_ms: r.ttfbMs,
    streamed: r.streamed ? 1 : 0,
    input_tokens: r.usage.inputTokens,
    cached_input_tokens: r.usage.cachedInputTokens,
    cache_write_tokens: r.usage.cacheWriteTokens,
    output_tokens: r.usage.outputTokens,
    reasoning_tokens: r.usage.reasoningTokens,
    cache_write_1h_tokens: r.usage.cacheWrite1hTokens ?? null,
    web_search_requests: r.usage.webSearchRequests ?? null,
    cost_e10: r.costUsd === null ? null : toE10(r.costUsd),
    estimated: r.estimated ? 1 : 0,
    cache_hit: r.cacheHit ? 1 : 0,
    saved_e10: r.savedUsd === undefined ? null : toE10(r.savedUsd),
    error_class: r.errorClass,
    user: r.user ?? null,
    project: r.project ?? null,
    key_label: r.keyLabel ?? null,
    client: r.client ?? null,
    session: r.session ?? null,
    extra: extra ? JSON.stringify(extra) : null,
  };
}

/**
 * A row's values in toRow's column order (the order of the SQLite writer's insert, which
 * open-sqlite.ts checks at open). Read by name: a read per column by a variable key, `r[c]`, was
 * ~1 µs per record on the proxy's thread (V8's megamorphic keyed loads), this ~0.1 µs.
 */
export function rowValues(r: RequestRow): unknown[] {
  return [
    r.id,
    r.time_ms,
    r.day,
    r.tool,
    r.provider,
    r.model,
    r.family,
    r.endpoint,
    r.path,
    r.status,
    r.latency_ms,
    r.ttfb_ms,
    r.streamed,
    r.input_tokens,
    r.cached_input_tokens,
    r.cache_write_tokens,
    r.output_tokens,
    r.reasoning_tokens,
    r.cache_write_1h_tokens,
    r.web_search_requests,
    r.cost_e10,
    r.estimated,
    r.cache_hit,
    r.saved_e10,
    r.error_class,
    r.user,
    r.project,
    r.key_label,
    r.client,
    r.session,
    r.extra,
  ];
}

type StoredRow = Pick<RequestsTable, keyof RequestRow>;

/**
 * fromRow for the paths packed by migration 0009 (`canonicalPath`: compact-row.ts's CANONICAL_PATH).
 * Self-contained — it names nothing outside itself — because an export worker evaluates its source
 * text (export-loop-source.ts) to format JSONL pages on its own thread: one definition, so both
 * threads write the same bytes for a record.
 */
export function rowReader(canonicalPath: Readonly<Record<string, string>>): (row: StoredRow) => LedgerRecord {
  const fromE10 = (n: number): number => Math.round(n) / 1e10;
  return function fromRow(row: StoredRow): LedgerRecord {
    const extra = row.extra ? (JSON.parse(row.extra) as Record<string, unknown>) : {};
    const { usage: usageExtra, time, ...rest } = extra as { usage?: object; time?: string };
    const r: LedgerRecord = {
      id: row.id,
      time: time ?? new Date(Number(row.time_ms)).toISOString(),
      tool: row.tool,
      provider: row.provider,
      model: row.model,
      // Packed on Postgres (compact-row.ts): NULL when it repeats provider / the canonical path.
      family: (row.family ?? row.provider) as LedgerRecord['family'],
      endpoint: row.endpoint as LedgerRecord['endpoint'],
      path: row.path ?? canonicalPath[row.endpoint] ?? '',
      status: Number(row.status),
      latencyMs: Number(row.latency_ms),
      ttfbMs: row.ttfb_ms === null ? null : Number(row.ttfb_ms),
      streamed: Number(row.streamed) === 1,
      usage: {
        inputTokens: Number(row.input_tokens),
        cachedInputTokens: Number(row.cached_input_tokens),
        cacheWriteTokens: Number(row.cache_write_tokens),
        outputTokens: Number(row.output_tokens),
        reasoningTokens: Number(row.reasoning_tokens),
        ...(row.cache_write_1h_tokens === null
          ? {}
          : { cacheWrite1hTokens: Number(row.cache_write_1h_tokens) }),
        ...(row.web_search_requests === null ? {} : { webSearchRequests: Number(row.web_search_requests) }),
        ...usageExtra,
      },
      costUsd: row.cost_e10 === null ? null : fromE10(Number(row.cost_e10)),
      estimated: Number(row.estimated) === 1,
      cacheHit: Number(row.cache_hit) === 1,
      errorClass: row.error_class as LedgerRecord['errorClass'],
      ...rest,
    };
    if (row.saved_e10 !== null) r.savedUsd = fromE10(Number(row.saved_e10));
    if (row.user !== null) r.user = row.user;
    if (row.project !== null) r.project = row.project;
    if (row.key_label !== null) r.keyLabel = row.key_label;
    if (row.client !== null) r.client = row.client;
    if (row.session !== null) r.session = row.session;
    return r;
  };
}

export const fromRow = rowReader(CANONICAL_PATH);
