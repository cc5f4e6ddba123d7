// A big budgeted body's token count must not hold other requests (issue 16: ≤ 20 ms). Its texts are
// counted on the tokenizer thread while the event loop serves other requests: over real loopback
// HTTP, small requests complete one after another while the big one is still being counted —
// before it reaches the provider — and a small budgeted one (counted too) goes ahead of its texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizerHandOvers } from '../../main/core/meter/token-count.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let budgeted: string;
let unbudgeted: string;

beforeAll(async () => {
  h = await startHarness();
  // A USD budget and a TPM limit: every request's input is token-counted before it is admitted
  // (under a budget alone, a request far from it is admitted on its byte bound, uncounted:
  // budget-bound-first.cold-tokenizer.test.ts).
  budgeted = await h.tool('big-count', { dailyUsd: 1000, tpm: 100_000_000 });
  unbudgeted = await h.tool('small-free');
});
afterAll(() => h.close());

/** Text slow to count: random 100-letter words (gpt-tokenizer's BPE is slowest on what it has no
 *  merges for; 190,000 such characters took ~0.8 s here), none long enough to be only bounded. */
function hardText(chars: number, seed: number): string {
  let x = seed;
  const words: string[] = [];
  for (let n = 0; n < chars; n += 101) {
    let w = '';
    for (let i = 0; i < 100; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      w += String.fromCharCode(97 + (x % 26));
    }
    words.push(w);
  }
  return words.join(' ');
}

async function chat(body: unknown, token = budgeted): Promise<number> {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

const small = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] };

describe('a big budgeted body while its tokens are counted', () => {
  it('lets small requests complete, one after another, before it is sent', async () => {
    expect(await chat(small)).toBe(200);
    // Six texts of 50,000 characters: over the size counted off the event loop, each ~0.2 s of
    // the tokenizer thread's time.
    const messages = [1, 2, 3, 4, 5, 6].map((seed) => ({ role: 'user', content: hardText(50_000, seed) }));
    const before = tokenizerHandOvers();
    const big = chat({ model: 'gpt-4o-mini', messages });
    // Ordering, not timing: wait until the big body's first text has gone to the tokenizer thread
    // (counted synchronously, this callback could only run once that text was done)...
    while (tokenizerHandOvers() === before) await new Promise((r) => setImmediate(r));
    const bigSent = () => h.upstream.received.some((r) => JSON.stringify(r.body).length > 200_000);
    // ...then a small budgeted request: its count goes ahead of the big body's remaining texts
    // (it waits for the one being counted, the event loop free meanwhile)...
    expect(await chat(small)).toBe(200);
    const budgetedFirst = !bigSent();
    // ...and small requests of a tool without a budget, one at a time, until the big one reaches
    // the provider. Counted synchronously, the loop only turned once between two of its texts:
    // no request could complete.
    let completed = 0;
    while (!bigSent() && completed < 20) {
      expect(await chat(small, unbudgeted)).toBe(200);
      if (!bigSent()) completed++;
    }
    expect(await big).toBe(200);
    expect(budgetedFirst).toBe(true);
    expect(completed).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
