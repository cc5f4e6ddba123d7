// A tool's model allowlist is checked against the model a request names. A Responses request with
// a stored prompt (`prompt: {id}`) may name none: the prompt's own model answers it
// (platform.openai.com/docs/guides/prompting#reusable-prompts, read 2026-11-29), and the allowlist
// was skipped. A tool allowed only gpt-4o-mini was answered by o3-pro, at ~130× its price
// (found by red14, 2026-11-29). A tool with an allowlist must name the model it asks for.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';
import { harnessOnStoredPrompts } from '../support/stored-prompt-provider.js';

let h: Harness;
const served: string[] = [];

// The stored prompt pmpt_pro runs on o3-pro.
harnessOnStoredPrompts(
  { promptModel: 'o3-pro-2025-06-10', served, input: 8, outputTokens: 1 },
  (x) => (h = x),
);

it('a request naming no model is refused to a tool with an allowlist', async () => {
  const token = await h.tool('mini-only', { models: ['gpt-4o-mini'] });
  const respond = (body: Record<string, unknown>) => postStatus(h, '/v1/responses', token, body);
  expect(await respond({ model: 'gpt-4o-mini', input: 'hi' })).toBe(200);
  const before = served.length;
  // Before: 200, answered by o3-pro.
  expect(await respond({ prompt: { id: 'pmpt_pro' }, input: 'hi' })).toBe(403);
  expect(served.slice(before)).toEqual([]);
});
