// A provider named `openrouter` on a loopback mock, priced from the catalog's OpenRouter entries
// and read in OpenRouter's dialect (`usage.cost`, `cache_write_tokens`): the route the Claude and
// Gemini budget tests send OpenAI-format requests through.
import type { Harness } from './harness.js';

export async function addOpenRouter(h: Harness, providerUrl: string): Promise<void> {
  await h.admin.call('addProvider', {
    body: {
      name: 'openrouter',
      kind: 'openai',
      baseUrl: `${providerUrl}/api/v1`,
      priceProvider: 'openrouter',
    },
  });
  await h.admin.call('putKey', { body: { provider: 'openrouter', key: 'sk-or-v1-test-key-5555EFGH' } });
}
