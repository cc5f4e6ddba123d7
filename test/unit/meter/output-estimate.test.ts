import { describe, expect, it } from 'vitest';
import { DEFERRED_MAX_CHARS, OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { field } from '../../../main/core/meter/usage-fields.js';

describe('OutputEstimator.deferEvents', () => {
  it('parses kept payloads only when asked, or once they pass the bound', () => {
    let parsed = 0;
    const estimator = new OutputEstimator('anthropic', (data, add) => {
      parsed++;
      add(field(data, 't'));
    });
    const event = Buffer.from(`data: ${JSON.stringify({ t: 'x'.repeat(1000) })}\n\n`); // 1016 characters
    const fit = Math.floor(DEFERRED_MAX_CHARS / event.length); // 258 with the 256 Ki bound
    for (let i = 0; i < fit; i++) estimator.deferEvents(event, undefined);
    expect(parsed).toBe(0);
    estimator.deferEvents(event, undefined);
    expect(parsed).toBe(fit + 1);
    for (let i = 0; i < 40; i++) estimator.deferEvents(event, undefined);
    expect(parsed).toBe(fit + 1);
    // (fit + 41) × 1000 characters at 3.5 per token, rounded up.
    expect(estimator.tokens()).toBe(Math.ceil(((fit + 41) * 1000) / 3.5));
    expect(parsed).toBe(fit + 41);
  });

  it('skips a kept payload that is not JSON and tokenizes the others with their own model', () => {
    const estimator = new OutputEstimator('openai', (data, add) => add(field(data, 't')));
    estimator.deferEvents(Buffer.from('data: {"t":"Hello world"}\n\n'), 'gpt-4o');
    estimator.deferEvents(Buffer.from('data: {"t":\n\n'), 'gpt-4o');
    estimator.add('Hello world', 'gpt-4');
    // "Hello world" is 2 tokens in both o200k_base and cl100k_base.
    expect(estimator.tokens()).toBe(4);
  });
});
