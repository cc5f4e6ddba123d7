// The failover tests' set-up: openai pointed at a provider through a pool of two keys (so a failed
// attempt may be sent again on the other), and one gpt-4o-mini request whose charge is read back.
import { expect } from 'vitest';
import type { Harness } from './harness.js';

/** Points openai at `url` with two keys in its pool (the second labelled "second"). */
export async function pointPool(h: Harness, url: string): Promise<void> {
  await h.admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${url}/v1` } });
  await h.admin.call('putKey', { body: { provider: 'openai', key: 'sk-test-openai-pool-key-0001AAAA' } });
  await h.admin.call('putKey', {
    body: { provider: 'openai', key: 'sk-test-openai-pool-key-0002BBBB', label: 'second' },
  });
}

/** Sends one gpt-4o-mini chat (at most 1,000 output tokens) as `tool`; once its answer is read and
 *  its one record is in, its status and the USD the tool was charged. */
export async function chatCharged(
  h: Harness,
  tool: string,
  token: string,
): Promise<{ status: number; charged: number }> {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await res.arrayBuffer();
  const records = async () => (await h.admin.call('listRequests', { query: { tool } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  const charged = (await records()).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  return { status: res.status, charged };
}
