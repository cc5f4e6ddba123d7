// Perplexity bills every Sonar request a fee beside its tokens: "Price per 1,000 Requests $12 $8 $5"
// at search context size high / medium / low, tokens $1 in / $1 out per 1M (stored copy of
// perplexity.mintlify.app/guides/models/sonar, read 2026-11-30); the catalog prices every request at
// the high fee. Shimmy's fast pricing path spread that fee over the input of the first request it
// priced, as if per token: a request of another size was priced at a fraction of its fee, so the
// ledger recorded less than was billed and the budget let more through (red24, 2026-11-30).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { chatAnswer, postStatus, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

// Every request reads 12 prompt tokens at Perplexity (its own count) and writes what it may, up
// to 100: 12×1 + out×1 per 1M, + $0.012 for a high-context search.
const PROMPT = 12;
const billOf = (out: number) => (PROMPT + out) / 1e6 + 0.012;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_path, body) => {
    const out = Math.min(100, Number(body.max_tokens ?? 100));
    billedUsd = Math.round((billedUsd + billOf(out)) * 1e10) / 1e10;
    return chatAnswer({
      id: 'pplx',
      model: 'sonar',
      finish_reason: 'length',
      input: PROMPT,
      outputTokens: out,
    });
  });
  await h.admin.call('addProvider', {
    body: { name: 'pplx', kind: 'openai', baseUrl: provider.url, priceProvider: 'perplexity' },
  });
  await h.admin.call('putKey', { body: { provider: 'pplx', key: 'pplx-test0000000000000000000000' } });
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

it('rounds of concurrent Sonar requests never pass a $0.03 budget, each recorded at its fee', async () => {
  // One request: 12 + 100 = 112 per 1M → $0.000112 + $0.012 = $0.012112; $0.03 has room for two
  // ($0.024224). Priced with the fee spread per token, each was recorded at a fraction of it: three
  // admitted, $0.036336 billed on $0.03 and $0.0077842758 recorded.
  const token = await h.tool('pplx-fee', { dailyUsd: 0.03 });
  const body = {
    model: 'pplx/sonar',
    max_tokens: 100,
    web_search_options: { search_context_size: 'high' },
    messages: [{ role: 'user', content: 'what changed in the news this week, in one line?' }],
  };
  let admitted = 0;
  for (let round = 0; round < 3; round++) {
    const statuses = await Promise.all(
      [1, 2, 3, 4].map(() => postStatus(h, '/v1/chat/completions', token, body)),
    );
    admitted += statuses.filter((s) => s === 200).length;
    // Settled before the next round: every answer recorded, at what was billed.
    await expect.poll(() => h.spentBy('pplx-fee')).toBe(billedUsd);
  }
  expect(billedUsd).toBeLessThanOrEqual(0.03);
  expect(await h.spentBy('pplx-fee')).toBe(billedUsd);
  expect(admitted).toBe(2);
});
