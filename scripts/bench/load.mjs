// A closed-loop load generator: N workers on an undici Pool (one connection each) send requests
// back to back, first for a warm-up, then for a measured window; latency is request start to the
// last body byte, from process.hrtime.bigint().
import { Pool } from 'undici';

/**
 * @param {{ url: string, path: string, headers: Record<string,string>, body: string,
 *   concurrency: number, warmupMs: number, durationMs: number, check: (status: number, text: string) => boolean }} o
 * @returns {Promise<{ latenciesMs: Float64Array, errors: number, elapsedMs: number, firstError?: string, completed: number }>}
 */
export async function runLoad(o) {
  const pool = new Pool(o.url, { connections: o.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  let errors = 0;
  let firstError;
  // Every successful request, warm-up included: what the proxy under test should have metered.
  let completed = 0;
  const latencies = [];

  const once = async () => {
    try {
      const res = await pool.request({ path: o.path, method: 'POST', headers: o.headers, body: o.body });
      const text = await res.body.text();
      if (o.check(res.statusCode, text)) {
        completed++;
        return true;
      }
      firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 300)}`;
    } catch (err) {
      firstError ??= String(err?.stack ?? err);
    }
    errors++;
    return false;
  };

  const phase = async (ms, record) => {
    const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
    const worker = async () => {
      while (process.hrtime.bigint() < end) {
        const t0 = process.hrtime.bigint();
        const ok = await once();
        if (record && ok) latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  };

  try {
    await phase(o.warmupMs, false);
    errors = 0;
    firstError = undefined;
    const t0 = process.hrtime.bigint();
    await phase(o.durationMs, true);
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    return { latenciesMs: Float64Array.from(latencies), errors, elapsedMs, firstError, completed };
  } finally {
    await pool.close();
  }
}

/** p50/p99 (nearest rank) in ms and completed requests per second. */
export function summarize({ latenciesMs, errors, elapsedMs }) {
  const sorted = latenciesMs.slice().sort();
  const rank = (p) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return {
    requests: sorted.length,
    errors,
    p50Ms: rank(0.5),
    p99Ms: rank(0.99),
    rps: sorted.length / (elapsedMs / 1000),
  };
}
