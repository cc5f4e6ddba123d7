// x-ratelimit-reset-tokens is computed on every admit of a tool with an RPM or TPM limit. It
// names the oldest entry holding tokens; the memory engine walked every request in front of it
// that holds none (settled at 0: refused upstream, released), so a minute of failed requests made
// each admit walk all of them: 142 µs of CPU per admit at 90,000 of them (load 3.7; Shimmy's whole
// request path is ~200–300 µs). Now it looks at the 64 oldest, as the Redis engine does, and past
// them names the oldest request: too early, never too late (tpm15, 2026-11-29).
import { describe, expect, it } from 'vitest';
import { RateWindow, WINDOW_MS } from '../../../main/core/limits/rate-window.js';

describe('RateWindow.resetMs', () => {
  it('costs the same with 90,000 requests holding no tokens in front', () => {
    const w = new RateWindow();
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 90_000; i++) w.setTokens(w.add(t0 + i / 2, 100), 0, t0 + i / 2);
    w.add(t0 + 45_000, 100);
    const now = t0 + 45_000;
    const cpu = process.cpuUsage();
    for (let i = 0; i < 10_000; i++) w.resetMs(now, 'tokens');
    const { user, system } = process.cpuUsage(cpu);
    // Before: ~1.4 s (142 µs a call); after, well under a millisecond.
    expect((user + system) / 1000, 'ms of CPU for 10,000 calls').toBeLessThan(100);
    // Past the 64 oldest: the oldest request's time, as Redis answers.
    expect(w.resetMs(now, 'tokens')).toBe(WINDOW_MS - 45_000);
  });

  it('still names the oldest entry holding tokens among the 64 oldest', () => {
    const w = new RateWindow();
    const t0 = 1_700_000_000_000;
    for (let i = 0; i < 63; i++) w.setTokens(w.add(t0 + i, 100), 0, t0 + i);
    w.add(t0 + 63, 100);
    expect(w.resetMs(t0 + 100, 'tokens')).toBe(WINDOW_MS - 37);
    expect(w.resetMs(t0 + 100, 'requests')).toBe(WINDOW_MS - 100);
  });
});
