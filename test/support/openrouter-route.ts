// A provider named `openrouter` on a loopback mock, priced from the catalog's OpenRouter entries
// and read in OpenRouter's dialect (`usage.cost`, `cache_write_tokens`): the route the Claude and
// Gemini budget tests send OpenAI-format requests through.
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { chatAnswer, startJsonProvider, type Answer, type JsonProvider } from './json-provider.js';

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

/** An OpenRouter chat answer (chatAnswer's), its charge in USD in `usage.cost` as OpenRouter
 *  reports it. */
export function openRouterAnswer(
  x: Parameters<typeof chatAnswer>[0] & { cost: number },
): Record<string, unknown> {
  const { cost, ...rest } = x;
  const answer = chatAnswer(rest);
  answer.usage = { ...(answer.usage as object), cost };
  return answer;
}

/** For a test file: a harness with the `openrouter` provider pointed at a JSON provider that
 *  answers with `answer`, started before its tests and closed after them. */
export function harnessOnOpenRouter(started: (h: Harness) => void, answer: Answer): void {
  let h: Harness | undefined;
  let provider: JsonProvider | undefined;
  beforeAll(async () => {
    h = await startHarness();
    provider = await startJsonProvider(answer);
    await addOpenRouter(h, provider.url);
    started(h);
  });
  afterAll(async () => {
    await h?.close();
    await provider?.close();
  });
}
