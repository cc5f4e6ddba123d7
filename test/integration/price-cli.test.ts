// `shimmy price …` against a running core: where the prices come from, a damaged catalog file,
// the models seen in traffic with no price and the command that prices them, refresh errors.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../support/cli-process.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let env: NodeJS.ProcessEnv;
const slow = { timeout: 90_000 };
const shimmy = (args: string[]) => runCli([...args, '--data-dir', h.dataDir], { env });

beforeAll(async () => {
  // A data dir whose saved catalog was damaged after it was written.
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-price-cli-'));
  await fs.writeFile(path.join(dataDir, 'price-catalog.json'), '{"format":"genai-prices","provi');
  h = await startHarness({ dataDir });
  env = { ...cliEnv().env, SHIMMY_KEYCHAIN_SERVICE: h.keychainService };
});
afterAll(() => h.close());

describe('shimmy price', slow, () => {
  it('list says where the prices come from and reports a damaged catalog file', async () => {
    const r = await shimmy(['price', 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Catalog: bundled with @pydantic\/genai-prices \d+\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/WARNING: .*price-catalog\.json is damaged .*using the bundled catalog/);
    expect(r.stdout).toMatch(/^Background refresh: off$/m); // SHIMMY_PRICE_REFRESH=off in tests
    expect(r.stdout).toMatch(/^gpt-4o-mini\s+openai\s+0\.15\s+0\.075\s/m);
    expect(h.logs.some((l) => l.warn === 'price catalog damaged')).toBe(true);
  });

  it('lists a model seen in traffic with no price, with the command that prices it, until it has one', async () => {
    const token = await h.tool('unpriced');
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'my-local-llama', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    await expect.poll(async () => (await h.records('unpriced')).length).toBe(1);
    const before = await shimmy(['price', 'list']);
    expect(before.stdout).toContain(
      'my-local-llama (openai, 1 requests): shimmy price set my-local-llama --input <USD per 1M> --output <USD per 1M>',
    );

    const set = await shimmy([
      'price',
      'set',
      'my-local-llama',
      '--input',
      '0.5',
      '--output',
      '1',
      '--cache-write-1h',
      '1',
      '--provider',
      'openai',
    ]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('Price for openai/my-local-llama');
    const after = await shimmy(['price', 'list']);
    expect(after.stdout).not.toContain('my-local-llama (openai');
    expect(after.stdout).toMatch(/^openai\/my-local-llama\s+-\s+0\.5\s+-\s+-\s+1\s+1\s+-\s+user$/m);
  });

  it('refresh from a URL that is not a catalog fails clearly and keeps the prices in use', async () => {
    const r = await shimmy(['price', 'refresh', '--url', `${h.upstream.url}/v1/models`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a usable genai-prices catalog/);
    expect(r.stderr).toContain('the last good catalog stays in use');
    expect((await shimmy(['price', 'list'])).stdout).toMatch(/^gpt-4o-mini\s+openai\s+0\.15/m);
  });
});
