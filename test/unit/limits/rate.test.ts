import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  retryAfterHeaders,
  type Refusal,
  type Reservation,
} from '../../../main/core/limits/index.js';
import { harness, makeTool } from './fixtures.js';

const req = (estimatedTokens: number) => ({ model: 'm', estimatedTokens, worstCaseUsd: 0.001 });
type Result = { ok: true; reservation: Reservation } | { ok: false; refusal: Refusal };
const ok = (r: Result): Reservation => {
  if (!r.ok) throw new Error(`expected admission, got: ${r.refusal.message}`);
  return r.reservation;
};
const rate = (r: Result) => {
  if (r.ok || r.refusal.kind !== 'rate') throw new Error('expected a rate refusal');
  return r.refusal;
};

describe('formatDuration (OpenAI reset header format)', () => {
  it.each([
    [0, '0s'],
    [12, '12ms'],
    [12.2, '13ms'],
    [999, '999ms'],
    [1000, '1s'],
    [6000, '6s'],
    [8640, '8.64s'],
    [60_000, '1m0s'],
    [90_000, '1m30s'],
    [179_560, '2m59.56s'],
    [3_600_000, '1h0m0s'],
    [3_725_500, '1h2m5.5s'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('retry-after is whole seconds rounded up, at least 1', () => {
    expect(retryAfterHeaders(1)).toEqual({ 'retry-after': '1', 'retry-after-ms': '1' });
    expect(retryAfterHeaders(1000)).toEqual({ 'retry-after': '1', 'retry-after-ms': '1000' });
    expect(retryAfterHeaders(1001)).toEqual({ 'retry-after': '2', 'retry-after-ms': '1001' });
    expect(retryAfterHeaders(30_000)).toEqual({ 'retry-after': '30', 'retry-after-ms': '30000' });
  });
});

describe('RPM and TPM sliding windows', () => {
  it('RPM slides over 60 s and tells when a slot frees', () => {
    const h = harness();
    const t0 = h.clock.ms;
    const tool = makeTool('a', { rpm: 3 });
    expect(ok(h.limiter.admit(tool, req(10))).headers).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '1m0s',
    });
    h.clock.ms = t0 + 10_000;
    ok(h.limiter.admit(tool, req(10)));
    h.clock.ms = t0 + 20_000;
    expect(ok(h.limiter.admit(tool, req(10))).headers).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '40s',
    });
    h.clock.ms = t0 + 30_000;
    const refusal = rate(h.limiter.admit(tool, req(10)));
    expect(refusal).toMatchObject({ metric: 'requests', limit: 3, retryAfterMs: 30_000 });
    expect(refusal.headers).toEqual({
      'retry-after': '30',
      'retry-after-ms': '30000',
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '30s',
    });
    expect(refusal.message).toBe('Tool "a" is over its rate limit of 3 requests per minute; retry in 30s.');
    h.clock.ms = t0 + 59_999;
    expect(rate(h.limiter.admit(tool, req(10))).headers['retry-after-ms']).toBe('1');
    h.clock.ms = t0 + 60_000; // the first request has left the window
    ok(h.limiter.admit(tool, req(10)));
    expect(rate(h.limiter.admit(tool, req(10))).retryAfterMs).toBe(10_000);
  });

  it('TPM counts the estimate now and the actual after settle', () => {
    const h = harness();
    const t0 = h.clock.ms;
    const tool = makeTool('a', { tpm: 1000 });
    const first = ok(h.limiter.admit(tool, req(600)));
    expect(first.headers).toEqual({
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '400',
      'x-ratelimit-reset-tokens': '1m0s',
    });
    h.clock.ms = t0 + 1000;
    const refusal = rate(h.limiter.admit(tool, req(500)));
    expect(refusal).toMatchObject({ metric: 'tokens', limit: 1000, retryAfterMs: 59_000 });
    expect(refusal.headers).toMatchObject({ 'retry-after': '59', 'x-ratelimit-remaining-tokens': '400' });
    first.settle({ costUsd: 0.0001, tokens: 300 });
    const second = ok(h.limiter.admit(tool, req(500)));
    expect(second.headers['x-ratelimit-remaining-tokens']).toBe('200');
    expect(second.headers['x-ratelimit-reset-tokens']).toBe('59s');
    // 800 in use: 300 more would be 1100, and only the first request's 300 leaving makes room.
    h.clock.ms = t0 + 30_000;
    expect(rate(h.limiter.admit(tool, req(300))).retryAfterMs).toBe(30_000);
    h.clock.ms = t0 + 60_000;
    ok(h.limiter.admit(tool, req(300)));
  });

  it('refuses a request larger than the whole TPM limit', () => {
    const h = harness();
    const refusal = rate(h.limiter.admit(makeTool('a', { tpm: 1000, rpm: 5 }), req(1500)));
    expect(refusal).toMatchObject({ metric: 'tokens', limit: 1000, retryAfterMs: 60_000 });
    expect(refusal.message).toContain('about 1500 tokens, more than its limit of 1000 tokens per minute');
    expect(refusal.headers['x-ratelimit-remaining-requests']).toBe('5');
  });

  it('reports the longer wait when both RPM and TPM are exceeded', () => {
    const h = harness();
    const t0 = h.clock.ms;
    const tool = makeTool('a', { rpm: 2, tpm: 1000 });
    ok(h.limiter.admit(tool, req(900)));
    h.clock.ms = t0 + 20_000;
    ok(h.limiter.admit(tool, req(50)));
    h.clock.ms = t0 + 25_000;
    // Requests: the first leaves at t0+60s (35 s). Tokens: 950 + 100 needs the first out too (35 s).
    expect(rate(h.limiter.admit(tool, req(100)))).toMatchObject({ metric: 'requests', retryAfterMs: 35_000 });
    // 1000 tokens: both entries must leave, the second at t0+80s (55 s).
    expect(rate(h.limiter.admit(tool, req(1000)))).toMatchObject({ metric: 'tokens', retryAfterMs: 55_000 });
  });

  it('release frees the tokens but the request still counts for RPM', () => {
    const h = harness();
    const tool = makeTool('a', { rpm: 2, tpm: 100 });
    const r = ok(h.limiter.admit(tool, req(100)));
    r.release();
    const next = ok(h.limiter.admit(tool, req(100)));
    expect(next.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(next.headers['x-ratelimit-remaining-tokens']).toBe('0');
    expect(rate(h.limiter.admit(tool, req(1))).metric).toBe('requests');
  });

  it('sends no rate headers for a tool without rate limits, and keeps windows per tool', () => {
    const h = harness();
    expect(ok(h.limiter.admit(makeTool('free'), req(10_000))).headers).toEqual({});
    ok(h.limiter.admit(makeTool('a', { rpm: 1 }), req(1)));
    ok(h.limiter.admit(makeTool('b', { rpm: 1 }), req(1)));
    rate(h.limiter.admit(makeTool('a', { rpm: 1 }), req(1)));
  });

  it('throttles alert.blocked to one per tool per reason per minute', () => {
    const h = harness();
    const tool = makeTool('a', { rpm: 1 });
    ok(h.limiter.admit(tool, req(1)));
    h.limiter.admit(tool, req(1));
    h.clock.ms += 30_000;
    h.limiter.admit(tool, req(1));
    expect(h.events).toEqual([
      {
        type: 'alert.blocked',
        tool: 'a',
        reason: 'rate_limit',
        message: 'Tool "a" is over its rate limit of 1 request per minute; retry in 1m0s.',
        time: '2026-11-25T12:00:00.000Z',
      },
    ]);
    h.clock.ms += 30_000; // the window has slid: admitted, no event
    ok(h.limiter.admit(tool, req(1)));
    h.limiter.admit(tool, req(1));
    expect(h.events).toHaveLength(2);
    expect(h.events[1]).toMatchObject({ reason: 'rate_limit', time: '2026-11-25T12:01:00.000Z' });
  });
});
