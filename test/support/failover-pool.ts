// The failover tests' set-up: openai pointed at a provider through a pool of two keys (so a failed
// attempt may be sent again on the other), and one gpt-4o-mini request whose charge is read back.
import { afterAll, beforeAll, expect } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { chatAnswer, startJsonProvider, type Answer, type JsonProvider } from './json-provider.js';

/** What the provider of harnessOnHalfFailingPool received: every request (each one it may bill), and
 *  the odd ones, which failed. */
export interface HalfFailed {
  received: number;
  failed: number;
}

/** For a test file: a harness (started with what `options` gives, if any) with openai pointed
 *  through pointPool at a provider that answers every odd request it receives with `odd()` (a hang,
 *  a reset) and every even one with a gpt-4o-mini answer of 1,000 prompt and 500 completion tokens.
 *  `started` is handed the harness once it is up; the counts returned grow as the provider works. */
export function harnessOnHalfFailingPool(
  odd: () => ReturnType<Answer>,
  started: (h: Harness) => void,
  options?: () => Promise<Parameters<typeof startHarness>[0]>,
): HalfFailed {
  const seen: HalfFailed = { received: 0, failed: 0 };
  let h: Harness | undefined;
  let provider: JsonProvider | undefined;
  beforeAll(async () => {
    provider = await startJsonProvider(() => {
      seen.received++;
      if (seen.received % 2 === 1) {
        seen.failed++;
        return odd();
      }
      return chatAnswer({
        id: 'chatcmpl-x',
        model: 'gpt-4o-mini',
        finish_reason: 'stop',
        input: 1000,
        outputTokens: 500,
      });
    });
    h = await startHarness(await options?.());
    await pointPool(h, provider.url);
    started(h);
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });
  return seen;
}

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
  await expect.poll(async () => (await h.records(tool)).length).toBe(1);
  const charged = (await h.records(tool)).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  return { status: res.status, charged };
}
