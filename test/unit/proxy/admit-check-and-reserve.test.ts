// Step 4 of admit (proxy/stages/admit/check-and-reserve.ts) against the real in-memory limiter:
// bound first (admitted on an upper bound of the input, uncounted, when that fits), else counted
// and decided exactly, else refused in the caller's terms.
import { describe, expect, it } from 'vitest';
import { InputTokens } from '../../../main/core/proxy/stages/admit/input-tokens.js';
import {
  checkAndReserve,
  type CheckRequest,
  type ReserveAt,
} from '../../../main/core/proxy/stages/admit/check-and-reserve.js';
import { Refused } from '../../../main/core/proxy/refused.js';
import type { ProxyDeps } from '../../../main/core/proxy/proxy-deps.js';
import { harness, makeTool } from '../limits/fixtures.js';

// $1 per 1M input tokens, no output: what a reservation of `bodyInput` tokens holds.
const reserveAt: ReserveAt = (bodyInput) => ({
  plan: null,
  worstCaseUsd: bodyInput / 1_000_000,
  estimatedTokens: bodyInput,
  unbounded: false,
  calls: 0,
  limit: 0,
});
// 40,000 characters of one repeated word: its UTF-8 bytes bound it at 40,000+ tokens; its count is
// far fewer (" hello" is one token in every OpenAI encoding).
const json = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: ' hello'.repeat(6_667) }] };

function request(dailyUsd: number): { deps: ProxyDeps; x: CheckRequest } {
  const h = harness();
  const tool = makeTool('t', { dailyUsd });
  const deps = { limiter: h.limiter, now: () => new Date(h.clock.ms) } as unknown as ProxyDeps;
  const input = new InputTokens('openai', 'chat', json, 'gpt-4o-mini', true);
  return {
    deps,
    x: {
      tool,
      model: 'gpt-4o-mini',
      budgeted: true,
      priced: true,
      generates: true,
      maxCalls: 0,
      input,
      reserveAt,
    },
  };
}

describe('checkAndReserve', () => {
  it('admits on the bound, uncounted, when the bound fits', async () => {
    const { deps, x } = request(1);
    const d = await checkAndReserve(deps, x);
    expect(d.atTheBound).toBe(true);
    expect(d.r.estimatedTokens).toBe(x.input.bound());
    expect(d.r.estimatedTokens).toBeGreaterThanOrEqual(40_000);
  });

  it('counts and decides exactly when the bound does not fit but the count does', async () => {
    // $0.02 holds 20,000 tokens at $1/1M: below the bound, above the count.
    const { deps, x } = request(0.02);
    const d = await checkAndReserve(deps, x);
    expect(d.atTheBound).toBe(false);
    expect(d.r.estimatedTokens).toBe(x.input.estimate());
    expect(d.r.estimatedTokens).toBeLessThan(20_000);
  });

  it('refuses with a budget refusal when not even the count fits', async () => {
    const { deps, x } = request(0.000001);
    const refused = await Promise.resolve()
      .then(() => checkAndReserve(deps, x))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Refused);
    expect((refused as Refused).kind).toBe('budget_exceeded');
  });
});
