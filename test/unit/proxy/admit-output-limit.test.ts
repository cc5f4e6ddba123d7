// Step 2 of admit (proxy/stages/admit/output-limit.ts): the output a request may write, and the
// limit written into the body sent upstream once the reservation paid for it.
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../shared/config.js';
import { bundledCatalog, createPrices } from '../../../main/core/pricing/index.js';
import {
  CAPPED_HEADER,
  outputLimitOf,
  writeOutputLimit,
  type WrittenLimit,
} from '../../../main/core/proxy/stages/admit/output-limit.js';
import { makeTool } from '../limits/fixtures.js';
import type { OutputPlan } from '../../../main/core/limits/output-cap.js';

const catalog = await bundledCatalog();
const prices = createPrices({
  catalog: () => catalog,
  user: () => ({ m: { input: 1, output: 2 } }),
  legacy: () => ({}),
});
// Never called: the base URL only picks the catalog's provider (DeepSeek, not OpenAI).
const deepseek: Provider = { name: 'deepseek', kind: 'openai', baseUrl: 'https://api.deepseek.com/v1' };
const noCalls = { searchEdits: undefined, write: undefined, named: undefined, calls: 0 };

describe('outputLimitOf', () => {
  it('a TPM limit bounds an answer that names none at the smallest maximum of the models that may serve it', () => {
    const tool = makeTool('t', { tpm: 10_000 });
    const json = { model: 'gpt-4o', n: 2, messages: [] };
    const chain = [{ provider: deepseek, upstreamModel: 'gpt-4o-mini' }];
    const out = outputLimitOf({ endpoint: 'chat', json, tool, budgeted: false, model: 'gpt-4o', chain });
    expect(out).toMatchObject({ requested: undefined, choices: 2, tpm: 10_000 });
    // Both gpt-4o and gpt-4o-mini write at most 16,384 tokens (platform.openai.com/docs/models, read
    // 2026-11-30): the smaller of the two maxima, as `wanted`.
    expect(out.max.tokens).toBe(16_384);
    expect(out.wanted).toBe(16_384);
  });

  it('without a budget or TPM, a request naming its limit is taken at it and no maximum is looked up', () => {
    const out = outputLimitOf({
      endpoint: 'chat',
      json: { max_completion_tokens: 300, messages: [] },
      tool: makeTool('t'),
      budgeted: false,
      model: 'gpt-4o',
      chain: [],
    });
    expect(out).toMatchObject({ requested: 300, choices: 1, tpm: undefined, wanted: 300 });
    expect(out.max.source).toBe('default');
  });
});

describe('writeOutputLimit', () => {
  const price = prices.lookup({ provider: deepseek, model: 'm', at: new Date('2026-11-30T00:00:00Z') });
  const tool = makeTool('t', { dailyUsd: 1 });
  /** What a chat request asking `asked` output tokens gets written once admitted at `plan`. */
  const written = (asked: number, plan: OutputPlan): WrittenLimit => {
    const json = { model: 'm', max_completion_tokens: asked, messages: [] };
    const output = outputLimitOf({ endpoint: 'chat', json, tool, budgeted: true, model: 'm', chain: [] });
    const out: WrittenLimit = { headers: {} };
    writeOutputLimit(out, {
      endpoint: 'chat',
      json,
      model: 'm',
      tool,
      price,
      budgeted: true,
      output,
      plan,
      limit: plan.limit,
      calls: noCalls,
      reservation: { release: () => {}, headers: {} } as never,
    });
    return out;
  };

  it('writes a lowered limit, says so, and mirrors it as max_tokens for a server other than OpenAI', () => {
    const out = written(8_000, { kind: 'capped', limit: 2_000, wanted: 8_000, usd: 0.5 });
    expect(out.upstreamEdits).toEqual({ max_completion_tokens: '2000', max_tokens: '2000' });
    expect(out.headers).toEqual({ [CAPPED_HEADER]: '2000' });
    expect(out.outputCap).toBe(2_000);
  });

  it("the client's own limit goes as max_tokens too, unchanged, with no cap header", () => {
    const out = written(500, { kind: 'fits', limit: 500, usd: 0.001 });
    expect(out).toEqual({ headers: {}, upstreamEdits: { max_tokens: '500' }, outputCap: 500 });
  });
});
