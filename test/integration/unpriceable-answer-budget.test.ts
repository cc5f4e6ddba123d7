// An answer its price cannot price, from a model that is priced — here Claude served at Anthropic's
// Priority Tier (`usage.service_tier: "priority"`: sold by commitment, no per-token rate in the
// catalog) — under a USD budget. Recorded unpriced (null), a budget counted it as $0 spent, so
// every such answer went out free of the limit (found by review, 2026-11-29: 8 of 8 answered on a
// $0.05 budget, $0 recorded). It is now charged what its reservation held, marked estimated.
// Price: claude-sonnet-4-5 $3 in / $15 out per 1M (anthropic.com/pricing, read 2026-11-27).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

beforeAll(async () => {
  h = await startHarness();
  // Answers every Messages request at its output limit, served at Priority Tier.
  provider = await startJsonProvider((_, b) => ({
    id: 'msg_x',
    type: 'message',
    role: 'assistant',
    model: b.model,
    content: [{ type: 'text', text: 'ok' }],
    stop_reason: 'max_tokens',
    usage: { input_tokens: 7, output_tokens: b.max_tokens, service_tier: 'priority' },
  }));
  await h.point('anthropic', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('a budget counts it at its reservation, so the budget fills and then refuses', async () => {
  const token = await h.tool('priority-tier', { dailyUsd: 0.05 });
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) {
    const res = await fetch(`${h.core.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': token, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  // Each reservation holds at least its 1,024 output tokens at the standard rate, 1,024 × $15/1M =
  // $0.01536: at most four fit in $0.05, the fourth capped smaller. The rest are refused.
  expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4);
  expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);

  const { records } = await h.admin.call('listRequests', { query: { tool: 'priority-tier' } });
  const answered = records.filter((r) => r.status === 200);
  expect(answered.length).toBeGreaterThan(0);
  for (const r of answered) {
    expect(r.estimated).toBe(true);
    expect(r.costUsd).not.toBeNull();
  }
  // The first went out uncapped: charged at least its output at the standard rate.
  expect(Math.max(...answered.map((r) => r.costUsd ?? 0))).toBeGreaterThanOrEqual(0.01536);
  const spent = (await h.admin.call('usage', { query: { by: 'tool' } })).find(
    (r) => r.tool === 'priority-tier',
  );
  expect(spent?.costUsd).toBeGreaterThan(0.04);
  expect(spent?.costUsd).toBeLessThanOrEqual(0.05);
});
