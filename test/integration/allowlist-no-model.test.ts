// A tool's model allowlist is checked against the model a request names. A Responses request with
// a stored prompt (`prompt: {id}`) may name none: the prompt's own model answers it
// (platform.openai.com/docs/guides/prompting#reusable-prompts, read 2026-11-29), and the allowlist
// was skipped. A tool allowed only gpt-4o-mini was answered by o3-pro, at ~130× its price
// (found by red14, 2026-11-29). A tool with an allowlist must name the model it asks for.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
const served: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  // The stored prompt pmpt_pro runs on o3-pro.
  provider = await startJsonProvider((_, b) => {
    const model = typeof b.model === 'string' ? b.model : 'o3-pro-2025-06-10';
    served.push(model);
    return {
      id: 'resp_p',
      object: 'response',
      created_at: 1,
      status: 'completed',
      model,
      output: [
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      usage: { input_tokens: 8, output_tokens: 1, total_tokens: 9 },
    };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('a request naming no model is refused to a tool with an allowlist', async () => {
  const token = await h.tool('mini-only', { models: ['gpt-4o-mini'] });
  const respond = (body: Record<string, unknown>) =>
    fetch(`${h.core.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (r) => (await r.text(), r.status));
  expect(await respond({ model: 'gpt-4o-mini', input: 'hi' })).toBe(200);
  const before = served.length;
  // Before: 200, answered by o3-pro.
  expect(await respond({ prompt: { id: 'pmpt_pro' }, input: 'hi' })).toBe(403);
  expect(served.slice(before)).toEqual([]);
});
