// Step 3b of admit (proxy/stages/admit/reservation.ts): the files a request's reservation reads —
// a transcription's seconds, an image edit's images — are read only where a budget prices them,
// and the request that reads none gets its ReserveAt in the same call, not a promise.
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../shared/config.js';
import type { Endpoint } from '../../../shared/usage.js';
import type { CostOf } from '../../../main/core/limits/output-cap.js';
import type { ProxyDeps } from '../../../main/core/proxy/proxy-deps.js';
import { billedCalls, type PricedRequest } from '../../../main/core/proxy/stages/admit/billed-calls.js';
import { outputLimitOf } from '../../../main/core/proxy/stages/admit/output-limit.js';
import { reserveAtFor, type ReservationAsks } from '../../../main/core/proxy/stages/admit/reservation.js';
import { makeTool } from '../limits/fixtures.js';

// whisper-1: $0.006 per minute of audio, i.e. $0.0001 a second (openai.com/api/pricing, read
// 2026-11-30). The catalog is not needed: step 1's cost function is passed in.
const perSecond: CostOf = (u) => (u.audioSeconds ?? 0) * 0.0001;
const openai: Provider = { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' };
const deps = {
  servedTiers: { unnamed: () => undefined },
  storedResponses: { continued: () => 0 },
} as unknown as ProxyDeps;

function reserve(endpoint: Endpoint, priced: boolean, asks: ReservationAsks) {
  const tool = makeTool('t', { dailyUsd: 1 });
  const model = endpoint === 'images' ? 'gpt-image-1' : 'whisper-1';
  const request: PricedRequest = {
    tool,
    family: 'openai',
    endpoint,
    json: { model },
    provider: openai,
    model,
    chain: [],
    fallbackPrices: [],
    at: new Date('2026-11-30T00:00:00Z'),
    price: undefined,
    cost: perSecond,
    priced,
  };
  const output = outputLimitOf({ endpoint, json: request.json, tool, budgeted: priced, model, chain: [] });
  return reserveAtFor(deps, request, output, billedCalls(deps, request), asks);
}

describe('reserveAtFor', () => {
  it('without a budget reads no file and answers in the same call', () => {
    let reads = 0;
    const asks: ReservationAsks = {
      audioSeconds: () => (reads++, Promise.resolve(90)),
      imageInputs: () => (reads++, Promise.resolve([])),
    };
    for (const endpoint of ['audio_transcription', 'images'] as const) {
      const at = reserve(endpoint, false, asks);
      expect(at).toBeTypeOf('function');
    }
    expect(reads).toBe(0);
  });

  it("a priced transcription by the second is reserved at its file's seconds", async () => {
    let reads = 0;
    const at = reserve('audio_transcription', true, { audioSeconds: () => (reads++, Promise.resolve(90)) });
    expect(at).toBeInstanceOf(Promise);
    const r = (await at)(0, undefined);
    expect(reads).toBe(1);
    // 90 s × $0.0001/s = $0.009 (1.5 minutes at $0.006/min).
    expect(r.worstCaseUsd).toBeCloseTo(0.009, 12);
    expect(r.unbounded).toBe(false);
  });

  it('one whose seconds cannot be read has no worst case and goes through unbounded', async () => {
    const r = (
      await reserve('audio_transcription', true, { audioSeconds: () => Promise.resolve(undefined) })
    )(0, undefined);
    expect(r.worstCaseUsd).toBeNull();
    expect(r.unbounded).toBe(true);
  });
});
