// The ledger bench's data: N synthetic records over D days (10 tools × 8 models, 50 users, 5 projects
// and a third with none, one request in 97 a 429, one Claude request in three plan traffic), appended through the real ledger — its batched
// transactions and roll-up upserts — into a SQLite file. Bounded: N records, a flush every FLUSH_EVERY.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

export const DAY_MS = 86_400_000;
export const TOOLS = Array.from({ length: 10 }, (_, i) => `tool-${i}`);
export const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'gpt-4.1',
  'claude-sonnet-4',
  'claude-haiku-4',
  'claude-opus-4',
  'mystery',
];
/** Appends between flushes: one transaction each, like steady traffic's batches but bigger. */
const FLUSH_EVERY = 20_000;

/** The compiled core (npm run build:core); SHIMMY_BENCH_ROOT (bench-ledger.mjs --root) names another
 *  checkout's, for an A/B of its build with these same bench scripts. */
export const dist = (p) =>
  pathToFileURL(
    join(process.env.SHIMMY_BENCH_ROOT ?? join(import.meta.dirname, '../..'), 'dist/main/core', p),
  ).href;

export function makeRecord(i, start, spanMs, n) {
  const model = MODELS[(i * 7) % MODELS.length];
  // One Claude request in three is plan traffic (a subscription login): $0, its API price apart.
  const plan = model.startsWith('claude') && i % 3 === 1;
  const cost = model === 'mystery' ? null : ((i % 1000) + 1) * 1e-6;
  return {
    id: `bench-${i}`,
    time: new Date(start + Math.floor((i * spanMs) / n)).toISOString(),
    tool: TOOLS[i % TOOLS.length],
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    model,
    family: model.startsWith('claude') ? 'anthropic' : 'openai',
    endpoint: model.startsWith('claude') ? 'messages' : 'chat',
    path: model.startsWith('claude') ? '/v1/messages' : '/v1/chat/completions',
    status: i % 97 === 0 ? 429 : 200,
    latencyMs: 200 + (i % 900),
    ttfbMs: 50 + (i % 200),
    streamed: i % 2 === 0,
    usage: {
      inputTokens: 1000 + (i % 5000),
      cachedInputTokens: i % 300,
      cacheWriteTokens: 0,
      outputTokens: 200 + (i % 800),
      reasoningTokens: 0,
    },
    costUsd: plan ? 0 : cost,
    ...(plan ? { plan: true, apiEquivalentUsd: cost } : {}),
    estimated: false,
    cacheHit: false,
    errorClass: i % 97 === 0 ? 'rate_limit' : null,
    user: `user-${i % 50}`,
    ...(i % 3 === 0 ? {} : { project: `project-${i % 5}` }),
  };
}

/** The ledger on `file` (or a postgres:// URL), its clock fixed at `now`; retention longer than the data. */
export async function openBenchLedger(file, now, days) {
  const { openLedger } = await import(dist('ledger/index.js'));
  const { openLedgerEngine } = await import(dist('store/index.js'));
  return openLedger({
    engine: await openLedgerEngine(file),
    timeZone: () => '',
    retentionDays: () => days + 1,
    now: () => now,
  });
}

/** Appends `records` records ending at `now`; returns the append-call and durable times in ms. */
export async function generate({ file, records, days, now }) {
  const ledger = await openBenchLedger(file, now, days);
  const start = now.getTime() - days * DAY_MS;
  let appendMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < records; i++) {
    const r = makeRecord(i, start, days * DAY_MS, records);
    const t = performance.now();
    ledger.append(r);
    appendMs += performance.now() - t;
    if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await ledger.flush();
  }
  await ledger.flush();
  const durableMs = performance.now() - t0;
  await ledger.close();
  return { appendMs, durableMs };
}
