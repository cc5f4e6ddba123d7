// A provider named `xai` on a loopback mock, billed and read as xAI (the catalog's `x-ai` prices,
// its usage.cost_in_usd_ticks): the stand-in for api.x.ai.
import type { Harness } from './harness.js';

export async function addXai(h: Harness, providerUrl: string): Promise<void> {
  await h.admin.call('addProvider', {
    body: { name: 'xai', kind: 'openai', baseUrl: `${providerUrl}/v1`, priceProvider: 'x-ai' },
  });
  await h.admin.call('putKey', { body: { provider: 'xai', key: 'xai-test-key-7777IJKL' } });
}
