// An answer whose usage Shimmy could not read is recorded as an estimate, streamed or not: its
// cost is Shimmy's guess from the text it saw, and the record must not pass it off as the
// provider's count (README: "priced to the cent"; WIRE-FACTS: "mark such a record as estimated").
// Some OpenAI-compatible servers answer without `usage` (a proxy in front of a local model, an
// older vLLM or Ollama), and reasoning a model did not show is missing from any text count.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

beforeAll(async () => {
  provider = await startJsonProvider(() => ({
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' }],
  }));
  h = await startHarness();
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('a non-streamed answer without usage is recorded as estimated', async () => {
  const token = await h.tool('no-usage');
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const records = () => h.records('no-usage');
  await expect.poll(async () => (await records()).length).toBe(1);
  const [record] = await records();
  // Priced from Shimmy's own count of "hi" and "Hello there." — a guess, not the provider's count.
  expect(record!.costUsd).toBeGreaterThan(0);
  expect(record!.estimated).toBe(true);
});
