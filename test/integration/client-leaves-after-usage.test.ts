// Codex CLI closes its connection as soon as `response.completed` arrives, before the provider has
// ended the stream. That answer was read and metered in full: it costs what its usage says, not
// the worst case Shimmy charges for an answer a client abandoned (which overcharged every Codex
// request about 30× in the real-agent suite).
import http from 'node:http';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, pause, sseAnswer } from '../support/json-provider.js';

let h: Harness;

// A Responses stream whose provider keeps the connection open a while after the last event.
harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  () => {
    const usage = { input_tokens: 1000, output_tokens: 50, total_tokens: 1050 };
    const response = {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model: 'gpt-5-mini',
      output: [],
    };
    return sseAnswer(
      [
        { type: 'response.created', response },
        { type: 'response.output_text.delta', delta: 'Hi' },
        { type: 'response.completed', response: { ...response, usage } },
        pause(1500),
      ],
      { named: true },
    );
  },
);

it('a client that leaves right after the final usage event is charged that usage, not its reservation', async () => {
  const token = await h.tool('codex-like', { dailyUsd: 5 });
  await new Promise<void>((resolve, reject) => {
    const req = http.request(`${h.core.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      let seen = '';
      res.on('data', (c: Buffer) => {
        seen += c.toString('utf8');
        // What Codex does: the turn is complete, the connection goes.
        if (seen.includes('response.completed')) {
          res.destroy();
          resolve();
        }
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'gpt-5-mini', input: 'hi', stream: true }));
  });
  await expect.poll(async () => (await h.records('codex-like')).length).toBe(1);
  const [rec] = await h.records('codex-like');
  // gpt-5-mini at OpenAI's published price (openai.com/api/pricing, checked 2026-11):
  // $0.25 input / $2.00 output per 1M → 1,000 × 0.25e-6 + 50 × 2e-6 = $0.00035.
  expect(rec!.costUsd).toBeCloseTo(0.00035, 12);
  expect(rec!.estimated).toBe(false);
  expect(rec!.usage.outputTokens).toBe(50);
});
