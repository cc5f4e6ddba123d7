// The admit stage's refusals (proxy/stages/admit/refusals.ts): what a client is told, and when it
// may retry, for a budget spent, a rate limit, and a limit Shimmy sized that no body can carry.
import { describe, expect, it } from 'vitest';
import type { Tool } from '../../../shared/config.js';
import type { Refusal } from '../../../main/core/limits/index.js';
import { capRefusal, refusalOf } from '../../../main/core/proxy/stages/admit/refusals.js';

const tool = { name: 'agent' } as Tool;
const now = new Date('2026-11-30T23:58:29.700Z');
const daily: Refusal = {
  kind: 'budget',
  scope: { tool: 'agent', period: 'day' },
  limitUsd: 1,
  spentUsd: 0.99,
  resetsAt: new Date('2026-12-01T00:00:00Z'),
  message: 'Tool "agent" has spent its daily budget.',
};

describe('refusalOf', () => {
  it('a spent budget: retry when it resets, rounded up, and the SDKs told not to retry sooner', () => {
    const r = refusalOf(daily, null, now);
    expect(r.kind).toBe('budget_exceeded');
    expect(r.errorClass).toBe('budget');
    // 00:00:00 − 23:58:29.7 = 90.3 s → 91
    expect(r.headers).toEqual({ 'x-should-retry': 'false', 'retry-after': '91' });
    expect(r.message).toBe(daily.message);
  });

  it('says so when not even the smallest answer fit', () => {
    const r = refusalOf(daily, { kind: 'refused', limit: 1024, usd: 0.02 }, now);
    expect(r.message).toBe(
      `${daily.message} Not even a 1024-token answer fits in what is left, so the request was not sent.`,
    );
    expect(refusalOf(daily, { kind: 'capped', limit: 2000, wanted: 4000, usd: 0.01 }, now).message).toBe(
      daily.message,
    );
  });

  it('a budget busy with an unbounded request: worth a retry in a moment', () => {
    const r = refusalOf({ ...daily, retryAfterMs: 2_001 }, null, now);
    // 2,001 ms → 3 s, and no x-should-retry: false
    expect(r.headers).toEqual({ 'retry-after': '3' });
  });

  it('a rate refusal keeps the limiter headers', () => {
    const headers = { 'retry-after': '7', 'x-ratelimit-limit-requests': '10' };
    const r = refusalOf(
      { kind: 'rate', metric: 'requests', limit: 10, retryAfterMs: 7_000, message: 'RPM', headers },
      null,
      now,
    );
    expect([r.kind, r.errorClass, r.headers]).toEqual(['rate_limit_exceeded', 'rate_limit', headers]);
  });
});

describe('capRefusal', () => {
  it('is a budget refusal wherever a budget priced the request, naming what set the limit', () => {
    const r = capRefusal(tool, 900, 'tpm', true, 'the body has no room');
    expect([r.kind, r.errorClass]).toEqual(['budget_exceeded', 'budget']);
    expect(r.message).toBe(
      `Tool "agent"'s TPM limit holds 900 output tokens for this request, but the body has no room.`,
    );
    const unpriced = capRefusal(tool, 64_000, 'model', false, 'x');
    expect([unpriced.kind, unpriced.errorClass]).toEqual(['rate_limit_exceeded', 'rate_limit']);
    expect(unpriced.message).toMatch(/^The model's maximum output, 64000 tokens/);
  });
});
