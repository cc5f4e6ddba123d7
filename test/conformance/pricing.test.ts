// Pricing conformance (issue 11 part 4): every case of pricing-cases.ts priced by the cost function
// directly, and — for the usage shapes the meter reads — end to end: the provider's usage object
// replayed by a loopback upstream through the real proxy into the ledger. Recorded cost must equal
// the hand cost exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledCatalog, createPrices, priceUsage, type Prices } from '../../main/core/pricing/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { AT, CASES } from './pricing-cases.js';
import { startReplayUpstream, type ReplayUpstream } from './replay-upstream.js';

let prices: Prices;
beforeAll(async () => {
  const catalog = await bundledCatalog();
  const none = {};
  prices = createPrices({ catalog: () => catalog, user: () => none, legacy: () => none });
});

describe('cost function', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const match = prices.lookup({
        provider: { name: 'p', ...c.provider },
        model: c.model,
        at: new Date(c.at),
      });
      expect(priceUsage(match, c.usage)).toBe(c.hand);
    });
  }
});

describe('end to end through the proxy', () => {
  let h: Harness;
  let replay: ReplayUpstream;
  beforeAll(async () => {
    replay = await startReplayUpstream();
    // A fixed clock: time-of-day prices (DeepSeek) are priced at the cases' own time.
    h = await startHarness({ core: { now: () => new Date(AT) } });
  });
  afterAll(async () => {
    await h?.close();
    await replay?.close();
  });

  const e2e = CASES.filter((c) => c.wire && c.at === AT);
  for (const [i, c] of e2e.entries()) {
    for (const stream of [false, true]) {
      if (c.wire!.endpoint === 'embeddings' && stream) continue;
      it(`${c.name}${stream ? ' (streamed)' : ''}`, async () => {
        const w = c.wire!;
        const name = `c${i}`;
        const existing = (await h.admin.call('listProviders')).some((p) => p.name === name);
        if (!existing) {
          await h.admin.call('addProvider', {
            body: {
              name,
              kind: c.provider.kind,
              baseUrl: c.provider.kind === 'openai' ? `${replay.url}/v1` : replay.url,
              priceProvider: w.priceProvider,
            },
          });
          await h.admin.call('putKey', { body: { provider: name, key: `sk-test-${name}-0000` } });
        }
        replay.usage = w.usage;
        replay.top = w.top ?? {};
        const token = await h.tool(`t${i}${stream ? 's' : ''}`);
        const path =
          w.endpoint === 'chat'
            ? '/v1/chat/completions'
            : w.endpoint === 'responses'
              ? '/v1/responses'
              : w.endpoint === 'embeddings'
                ? '/v1/embeddings'
                : '/v1/messages';
        const body =
          w.endpoint === 'messages'
            ? {
                model: `${name}/${c.model}`,
                max_tokens: 10,
                messages: [{ role: 'user', content: 'a' }],
                stream,
              }
            : w.endpoint === 'embeddings'
              ? { model: `${name}/${c.model}`, input: 'a' }
              : w.endpoint === 'responses'
                ? { model: `${name}/${c.model}`, input: 'a', stream }
                : { model: `${name}/${c.model}`, messages: [{ role: 'user', content: 'a' }], stream };
        const res = await fetch(`${h.core.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
        await res.text();
        const tool = `t${i}${stream ? 's' : ''}`;
        await expect.poll(async () => (await h.records(tool)).length).toBe(1);
        const [rec] = await h.records(tool);
        expect(rec!.estimated).toBe(false);
        expect(rec!.costUsd).toBe(c.hand);
      });
    }
  }
});
