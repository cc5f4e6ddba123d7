// Plan-limit headers on answers to subscription traffic. None of them is documented by the
// providers (read 2026-11 from real answers, as other tools do): every value is read when it is
// present and well-formed and ignored otherwise — a change on their side makes a window
// "unknown", never breaks a request.
//   Anthropic: anthropic-ratelimit-unified-{5h,7d}-utilization (fraction 0..1),
//              -{5h,7d}-reset (epoch seconds), -{5h,7d}-status / -status.
//   Codex (ChatGPT backend): x-codex-{primary,secondary}-used-percent (0..100),
//              -window-minutes, -reset-after-seconds, -reset-at (epoch seconds).
import type { PlanWindowName } from '../../../shared/plans.js';

export interface PlanReading {
  window: PlanWindowName;
  usedPercent: number;
  resetsAt: Date | null;
  status?: string;
}

type Headers = Record<string, string | string[] | undefined>;

export function readPlanHeaders(headers: Headers, now: Date): PlanReading[] {
  return [...readAnthropic(headers), ...readCodex(headers, now)];
}

function one(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function num(headers: Headers, name: string): number | undefined {
  const raw = one(headers, name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function epoch(seconds: number | undefined): Date | null {
  return seconds === undefined ? null : new Date(seconds * 1000);
}

function readAnthropic(headers: Headers): PlanReading[] {
  const out: PlanReading[] = [];
  const overall = one(headers, 'anthropic-ratelimit-unified-status');
  for (const window of ['5h', '7d'] as const) {
    const used = num(headers, `anthropic-ratelimit-unified-${window}-utilization`);
    if (used === undefined) continue;
    const status = one(headers, `anthropic-ratelimit-unified-${window}-status`) ?? overall;
    out.push({
      window,
      usedPercent: round(used * 100),
      resetsAt: epoch(num(headers, `anthropic-ratelimit-unified-${window}-reset`)),
      ...(status ? { status } : {}),
    });
  }
  return out;
}

function readCodex(headers: Headers, now: Date): PlanReading[] {
  const out: PlanReading[] = [];
  for (const [slot, fallback] of [
    ['primary', '5h'],
    ['secondary', '7d'],
  ] as const) {
    const used = num(headers, `x-codex-${slot}-used-percent`);
    if (used === undefined) continue;
    const minutes = num(headers, `x-codex-${slot}-window-minutes`);
    const window: PlanWindowName = minutes === undefined ? fallback : minutes <= 12 * 60 ? '5h' : '7d';
    const at = num(headers, `x-codex-${slot}-reset-at`);
    const after = num(headers, `x-codex-${slot}-reset-after-seconds`);
    const resetsAt =
      at !== undefined ? epoch(at) : after !== undefined ? new Date(now.getTime() + after * 1000) : null;
    out.push({ window, usedPercent: round(used), resetsAt });
  }
  return out;
}

const round = (x: number) => Math.round(x * 100) / 100;
