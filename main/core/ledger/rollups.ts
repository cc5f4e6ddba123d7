// Per local day × tool × model sums: what budgets and the usage views read, kept forever
// (retention only drops detail). Costs are summed with addUsd so totals never drift.
import { addUsd } from '../../../shared/money.js';
import type { LedgerRecord, UsageRow } from '../../../shared/ledger.js';
import type { Totals } from './types.js';

export interface Bucket {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  unpriced: number;
  savedUsd: number;
  /** Part of cacheWriteTokens written with a 1-hour TTL. */
  cacheWrite1hTokens: number;
  webSearchRequests: number;
}

/** One bucket flattened for the snapshot file: [day, tool, model, ...bucket fields in BUCKET_FIELDS order]. */
export type RollupEntry = [string, string, string, ...number[]];

const BUCKET_FIELDS = [
  'requests',
  'inputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'outputTokens',
  'reasoningTokens',
  'costUsd',
  'unpriced',
  'savedUsd',
  // Added later: a snapshot written before them simply lacks them (read as 0).
  'cacheWrite1hTokens',
  'webSearchRequests',
] as const satisfies readonly (keyof Bucket)[];

export function emptyBucket(): Bucket {
  return {
    requests: 0,
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    unpriced: 0,
    savedUsd: 0,
    cacheWrite1hTokens: 0,
    webSearchRequests: 0,
  };
}

/** Adds one record to a bucket; `null` cost counts as unpriced, never as $0. */
export function addRecordToBucket(b: Bucket, r: LedgerRecord): void {
  b.requests += 1;
  b.inputTokens += r.usage.inputTokens;
  b.cachedInputTokens += r.usage.cachedInputTokens;
  b.cacheWriteTokens += r.usage.cacheWriteTokens;
  b.outputTokens += r.usage.outputTokens;
  b.reasoningTokens += r.usage.reasoningTokens;
  b.cacheWrite1hTokens += r.usage.cacheWrite1hTokens ?? 0;
  b.webSearchRequests += r.usage.webSearchRequests ?? 0;
  if (r.costUsd === null) b.unpriced += 1;
  else b.costUsd = addUsd(b.costUsd, r.costUsd);
  if (r.savedUsd !== undefined) b.savedUsd = addUsd(b.savedUsd, r.savedUsd);
}

export function mergeBucket(into: Bucket, b: Bucket): void {
  into.requests += b.requests;
  into.inputTokens += b.inputTokens;
  into.cachedInputTokens += b.cachedInputTokens;
  into.cacheWriteTokens += b.cacheWriteTokens;
  into.outputTokens += b.outputTokens;
  into.reasoningTokens += b.reasoningTokens;
  into.cacheWrite1hTokens += b.cacheWrite1hTokens;
  into.webSearchRequests += b.webSearchRequests;
  into.costUsd = addUsd(into.costUsd, b.costUsd);
  into.unpriced += b.unpriced;
  into.savedUsd = addUsd(into.savedUsd, b.savedUsd);
}

export function bucketToRow(b: Bucket): UsageRow {
  return {
    requests: b.requests,
    inputTokens: b.inputTokens,
    cachedInputTokens: b.cachedInputTokens,
    cacheWriteTokens: b.cacheWriteTokens,
    outputTokens: b.outputTokens,
    reasoningTokens: b.reasoningTokens,
    costUsd: b.costUsd,
    unpriced: b.unpriced,
    savedUsd: b.savedUsd,
    cacheWrite1hTokens: b.cacheWrite1hTokens,
    webSearchRequests: b.webSearchRequests,
  };
}

/** `day.slice(0, 7) === month`, without the slice. */
const inMonth = (day: string, month: string): boolean =>
  day.length >= 7 ? month.length === 7 && day.startsWith(month) : day === month;

export interface RollupKey {
  day: string;
  tool: string;
  model: string;
}

export class Rollups {
  // day → tool → model: totals for a day or month touch only that period's few buckets.
  private readonly days = new Map<string, Map<string, Map<string, Bucket>>>();

  add(day: string, r: LedgerRecord): void {
    addRecordToBucket(this.bucket(day, r.tool, r.model), r);
  }

  totals(q: { day?: string; month?: string; tool?: string }): Totals {
    // Read by the overview (20 calls a refresh) and by budgets on the proxy's thread: no entry
    // arrays, no sliced day strings — it was ~12 kB of young garbage a call (issue 15: the
    // overview's 250 kB brought the scavenge that was its longest block).
    const sum = emptyBucket();
    const addTools = (tools: Map<string, Map<string, Bucket>>) => {
      if (q.tool === undefined) tools.forEach((models) => models.forEach((b) => mergeBucket(sum, b)));
      else tools.get(q.tool)?.forEach((b) => mergeBucket(sum, b));
    };
    if (q.day !== undefined) {
      const tools = this.days.get(q.day);
      if (tools && (q.month === undefined || inMonth(q.day, q.month))) addTools(tools);
    } else
      this.days.forEach((tools, day) => {
        if (q.month === undefined || inMonth(day, q.month)) addTools(tools);
      });
    return {
      requests: sum.requests,
      costUsd: sum.costUsd,
      unpriced: sum.unpriced,
      inputTokens: sum.inputTokens,
      outputTokens: sum.outputTokens,
      savedUsd: sum.savedUsd,
    };
  }

  /** Every bucket within [since, until] (local days, inclusive), optionally for one tool. */
  *entries(q: { since?: string; until?: string; tool?: string }): Generator<[RollupKey, Bucket]> {
    for (const [day, tools] of this.days) {
      if (q.since !== undefined && day < q.since) continue;
      if (q.until !== undefined && day > q.until) continue;
      for (const [tool, models] of tools) {
        if (q.tool !== undefined && tool !== q.tool) continue;
        for (const [model, b] of models) yield [{ day, tool, model }, b];
      }
    }
  }

  /** One local day's priced spend per tool and per model: the dashboard chart's newest column. */
  daySpend(day: string): { byTool: Record<string, number>; byModel: Record<string, number> } {
    const byTool: Record<string, number> = {};
    const byModel: Record<string, number> = {};
    for (const [key, b] of this.entries({ since: day, until: day })) {
      if (b.costUsd === 0) continue;
      byTool[key.tool] = addUsd(byTool[key.tool] ?? 0, b.costUsd);
      byModel[key.model] = addUsd(byModel[key.model] ?? 0, b.costUsd);
    }
    return { byTool, byModel };
  }

  toEntries(): RollupEntry[] {
    const out: RollupEntry[] = [];
    for (const [key, b] of this.entries({})) {
      out.push([key.day, key.tool, key.model, ...BUCKET_FIELDS.map((f) => b[f])]);
    }
    return out;
  }

  static fromEntries(entries: readonly RollupEntry[]): Rollups {
    const r = new Rollups();
    for (const [day, tool, model, ...values] of entries) {
      const b = r.bucket(day, tool, model);
      BUCKET_FIELDS.forEach((f, i) => {
        b[f] = values[i] ?? 0;
      });
    }
    return r;
  }

  clone(): Rollups {
    return Rollups.fromEntries(this.toEntries());
  }

  private bucket(day: string, tool: string, model: string): Bucket {
    let tools = this.days.get(day);
    if (!tools) this.days.set(day, (tools = new Map()));
    let models = tools.get(tool);
    if (!models) tools.set(tool, (models = new Map()));
    let b = models.get(model);
    if (!b) models.set(model, (b = emptyBucket()));
    return b;
  }
}
