// A tool's model allowlist is checked against the model a request names. A batch names its models
// in a file uploaded before (each line of its JSONL), a fine-tuning job or an assistant run in
// fields Shimmy does not read: those endpoints passed a tool with an allowlist and no budget, so a
// tool allowed only gpt-4o-mini could have a batch of o3-pro requests run (found by red14,
// 2026-11-29). Like a budgeted tool, a tool with an allowlist is refused the billable endpoints
// Shimmy cannot meter, unless it is let through them (--allow-unpriced).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
const reached: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((path) => {
    reached.push(path);
    return { id: 'batch_1', object: 'batch', status: 'validating' };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

const post = (token: string, path: string, body: unknown) =>
  fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => (await r.text(), r.status));

it('a batch (its models in a file) is refused to a tool with an allowlist', async () => {
  const token = await h.tool('mini-batches', { models: ['gpt-4o-mini'] });
  const before = reached.length;
  // The file's lines name o3-pro; Shimmy sees only its id. Before: 200, and the batch ran.
  const batch = { input_file_id: 'file-o3pro', endpoint: '/v1/chat/completions', completion_window: '24h' };
  expect(await post(token, '/v1/batches', batch)).toBe(403);
  expect(await post(token, '/v1/fine_tuning/jobs', { model: 'gpt-4.1', training_file: 'file-x' })).toBe(403);
  expect(reached.slice(before)).toEqual([]);
});

it('passes without an allowlist, or when the tool is let through unpriced endpoints', async () => {
  const batch = { input_file_id: 'file-x', endpoint: '/v1/chat/completions', completion_window: '24h' };
  expect(await post(await h.tool('any-batches'), '/v1/batches', batch)).toBe(200);
  const optedIn = await h.tool('mini-batches-opted', { models: ['gpt-4o-mini'], allowUnpriced: true });
  expect(await post(optedIn, '/v1/batches', batch)).toBe(200);
});
