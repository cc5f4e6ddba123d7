// A big budgeted body's admission is cut into event-loop turns (issue 16: a 20 MB body never blocks
// other requests for more than 20 ms). Its steps each walk the body's messages (the audio check,
// the billed calls, the media the provider sizes, the input bound); on a first request, with that
// code not yet compiled, they held the loop 25–35 ms in one turn. Now a step that finds this
// turn's time for big bodies spent (cpu-turns.ts) waits for a later turn, and the check-and-reserve
// tick and the send each start a turn of their own when the one before was spent. A small body's
// steps still run in one go. Over real loopback HTTP, the core's own dependencies at three steps
// are wrapped (startCore's `proxyDeps`) to record the turn they run in and to take a whole turn's
// time, standing in for a slow step; turns are counted, not timed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TURN_MS } from '../../main/core/proxy/cpu-turns.js';
import { startHarness, type Harness } from '../support/harness.js';
import { countLoopTurns, type LoopTurns } from '../support/loop-turns.js';

let h: Harness;
let token: string;

let turns: LoopTurns | undefined;
const turn = () => turns?.now ?? 0;

/** Where one request's admission ran: the turn of each wrapped step. */
type Seen = { price?: number; tiers?: number; reserve?: number; send?: number };
let seen: Seen = {};

/** More than a turn's time for big bodies' work: the step after it finds the turn spent. */
function takeATurnsTime(): void {
  const end = performance.now() + TURN_MS + 1;
  while (performance.now() < end);
}

beforeAll(async () => {
  h = await startHarness({
    core: {
      proxyDeps: (d) => {
        const prices = Object.create(d.prices) as typeof d.prices;
        // Step 1 (the model chain's price): its first lookup of a request.
        prices.lookup = (q) => {
          if (seen.price === undefined) {
            seen.price = turn();
            takeATurnsTime();
          }
          return d.prices.lookup(q);
        };
        const servedTiers = Object.create(d.servedTiers) as typeof d.servedTiers;
        // Step 3b (the reservation's inputs): the tier OpenAI serves it at.
        servedTiers.unnamed = (provider) => {
          seen.tiers ??= turn();
          takeATurnsTime();
          return d.servedTiers.unnamed(provider);
        };
        const limiter = Object.create(d.limiter) as typeof d.limiter;
        // Step 4, the check-and-reserve tick.
        limiter.admit = (tool, req) => {
          seen.reserve ??= turn();
          takeATurnsTime();
          return d.limiter.admit(tool, req);
        };
        return {
          ...d,
          prices,
          servedTiers,
          limiter,
          upstream: (req) => {
            seen.send ??= turn();
            return d.upstream(req);
          },
        };
      },
    },
  });
  // gpt-4o-mini at $0.15 / $0.60 per 1M tokens (openai.com/api/pricing, 2026-11-30): the big body
  // (~2.4 MB, under 2.4M tokens at its byte bound) with 16,384 output tokens is at most
  // 2.4e6 × 0.15e-6 + 16,384 × 0.60e-6 ≈ $0.37, well inside $1,000: admitted at the bound.
  token = await h.tool('big-admit', { dailyUsd: 1000 });
  turns = countLoopTurns();
});
afterAll(async () => {
  turns?.stop();
  await h.close();
});

async function chat(body: unknown): Promise<Seen> {
  seen = {};
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  expect(res.status).toBe(200);
  return seen;
}

/** Over 1 MiB (parsed in slices, read-json-any-type.ts): 400 turns of an agent's context. */
const big = {
  model: 'gpt-4o-mini',
  max_tokens: 16_384,
  messages: Array.from({ length: 400 }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    content: `${i}: ${'The build failed in step 3 because the cache key changed. '.repeat(105)}`,
  })),
};
const small = { model: 'gpt-4o-mini', max_tokens: 16_384, messages: [{ role: 'user', content: 'hello' }] };

describe("a big budgeted body's admission", () => {
  it('takes turns between its steps where a small body runs them in one', async () => {
    expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024);
    // The control, in the same test: a small body's steps, each as slow, share one turn.
    const one = await chat(small);
    expect(one.price).toBeDefined();
    expect([one.tiers, one.reserve, one.send]).toEqual([one.price, one.price, one.price]);
    // The big one: the reservation's inputs in a later turn than the price, the tick later
    // still, and the send after that (before, all four in the turn its parse ended in).
    const b = await chat(big);
    expect(b.price).toBeDefined();
    expect(b.tiers!).toBeGreaterThan(b.price!);
    expect(b.reserve!).toBeGreaterThan(b.tiers!);
    expect(b.send!).toBeGreaterThan(b.reserve!);
    // And the control again, after the big one: still one turn.
    const again = await chat(small);
    expect([again.tiers, again.reserve, again.send]).toEqual([again.price, again.price, again.price]);
  }, 60_000);
});
