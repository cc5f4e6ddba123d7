// A TPM limit and the requests whose tokens Shimmy cannot count. A USD budget or a model
// allowlist refuses endpoints it cannot meter (proxy/stages/check-billable.ts); a tool with only
// an RPM/TPM limit was let through them: a background Responses request answers at once, queued,
// with no usage, so its TPM entry settles at 0 tokens while the provider generates its answer
// afterwards; a batch's requests run upstream, none of them in any window (tpm15, 2026-11-29).
// Now a TPM limit refuses what cannot be metered, as a budget does (check-billable.ts), with 403
// unpriced_endpoint; `--allow-unpriced` lets it through.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;
/** Requests that reached the provider, by path. */
const reached: string[] = [];

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      reached.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      // Queued: the answer (up to its 1,000 output tokens) is generated and billed afterwards.
      res.end(
        req.url?.includes('/batches')
          ? JSON.stringify({ id: 'batch_1', object: 'batch', status: 'validating' })
          : JSON.stringify({ id: 'resp_1', object: 'response', status: 'queued', output: [], usage: null }),
      );
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const clock = Date.now();
  h = await startHarness({ core: { now: () => new Date(clock) } }); // one minute throughout
  await h.point('openai', `http://127.0.0.1:${(provider.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

const post = async (token: string, path: string, body: unknown) => {
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
};

it('ten background responses of up to 1,008 tokens each in one minute on a 2,500 TPM', async () => {
  const token = await h.tool('background', { tpm: 2_500 });
  const before = reached.length;
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++)
    statuses.push(
      await post(token, '/v1/responses', {
        model: 'gpt-4o-mini',
        input: 'hi',
        max_output_tokens: 1_000,
        background: true,
      }),
    );
  // Each may make 1,008 tokens: two fit in 2,500. Before: all ten reached the provider.
  expect(reached.length - before, `statuses ${statuses.join(',')}`).toBeLessThanOrEqual(2);
});

it('a batch on a tool with a 10,000 TPM is refused', async () => {
  // (Under 4,096 TPM it is refused already: it is counted at 4,096 tokens, like any request
  // that names no output limit.)
  const token = await h.tool('batcher', { tpm: 10_000 });
  const before = reached.length;
  const status = await post(token, '/v1/batches', {
    input_file_id: 'file-1',
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  // Up to 50,000 requests run upstream, none of them counted. Before: 200.
  expect(reached.length - before, `status ${status}`).toBe(0);
});
