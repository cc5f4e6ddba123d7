// A request that reached the provider is spend, even when Shimmy then tries another key or
// provider (README, Budgets: "A request that reached the provider is charged even when its answer
// is never read — … the upstream timed out"). Here the first attempt reaches the provider and times
// out, the failover sends the request again on the pool's other key, and that one answers: the
// provider has now billed two requests.
// gpt-4o-mini: $0.15 in / $0.60 out per 1M (openai.com/api/pricing, read 2026-11-27).
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** Every answer: 1,000 prompt + 500 completion tokens = 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045. */
const ANSWER_USD = 0.00045;

let h: Harness;
let provider: http.Server;
/** Requests the provider received (each one it may bill), and the ones it left hanging. */
let received = 0;
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  // Every odd request hangs: the provider is working on it (and will bill it) but has not
  // answered within Shimmy's upstream timeout.
  provider = http.createServer(async (req, res) => {
    for await (const _ of req);
    received++;
    if (received % 2 === 1) return void hanging.push(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
      }),
    );
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-failover-spend-'));
  await fs.writeFile(
    path.join(dataDir, 'config.json'),
    JSON.stringify({ settings: { upstreamTimeoutMs: 300 } }),
  );
  h = await startHarness({ dataDir });
  await h.admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${url}/v1` } });
  await h.admin.call('putKey', { body: { provider: 'openai', key: 'sk-test-openai-pool-key-0001AAAA' } });
  await h.admin.call('putKey', {
    body: { provider: 'openai', key: 'sk-test-openai-pool-key-0002BBBB', label: 'second' },
  });
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
});

it('a timed-out attempt that the failover sends again is charged too', async () => {
  const token = await h.tool('pool-user', { dailyUsd: 1 });
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  // Answered, or the timeout itself (504) when the request is not sent a second time.
  expect([200, 504]).toContain(res.status);
  await res.arrayBuffer();
  const records = async () => (await h.admin.call('listRequests', { query: { tool: 'pool-user' } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  const charged = (await records()).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  // Every request the provider received is spend: an answered one $0.00045; one it held until the
  // timeout at least its input (1000 × 0.15e-6 = $0.00015) — Shimmy's own rule for an unread answer
  // charges its reserved worst case (>= 1,000 output tokens × 0.60e-6 = $0.0006).
  const held = hanging.length;
  expect(charged).toBeGreaterThanOrEqual((received - held) * ANSWER_USD + held * 0.00015);
});
