import { afterEach, describe, expect, it, vi } from 'vitest';
import { usageBreakdown } from './usage-breakdown.js';
import { countNumberFormats } from '../test-support/count-number-formats.js';

afterEach(() => vi.restoreAllMocks());

describe('usageBreakdown', () => {
  it('shows every non-zero dimension, the cache-write TTL split, tier, region and provider cost', () => {
    const rows = usageBreakdown(
      {
        inputTokens: 23050,
        cachedInputTokens: 20000,
        cacheWriteTokens: 3000,
        outputTokens: 400,
        reasoningTokens: 0,
        cacheWrite1hTokens: 2000,
        inputAudioTokens: 50,
        webSearchRequests: 3,
        fileSearchCalls: 20,
        codeExecutionCalls: 7,
        containers: 2,
        containerMemoryGb: 4,
        audioSeconds: 8.47,
        serviceTier: 'priority',
        inferenceGeo: 'us',
        providerCostUsd: 0.000888,
      },
      'en-US',
    );
    expect(rows).toEqual([
      ['Input tokens', '23,050 (cached 20,000, audio 50, cache write 3,000: 5-minute 1,000, 1-hour 2,000)'],
      ['Output tokens', '400'],
      ['Web searches', '3'],
      ['File searches', '20'],
      ['Code execution calls', '7'],
      ['Code containers', '2 × 4 GB'],
      ['Audio', '8.47 s'],
      ['Service tier', 'priority'],
      ['Region', 'us'],
      ['Provider-reported cost', '$0.000888'],
    ]);
  });

  it('a plain request shows its two totals and the parts it has', () => {
    expect(
      usageBreakdown(
        {
          inputTokens: 1000,
          cachedInputTokens: 0,
          cacheWriteTokens: 200,
          outputTokens: 900,
          reasoningTokens: 64,
          outputAudioTokens: 800,
          images: 2,
          characters: 10,
        },
        'en-US',
      ),
    ).toEqual([
      ['Input tokens', '1,000 (cache write 200)'],
      ['Output tokens', '900 (reasoning 64, audio 800)'],
      ['Characters', '10'],
      ['Images', '2'],
    ]);
  });

  it('reuses the shared number formatters instead of building one per figure', () => {
    const formats = countNumberFormats();
    const usage = {
      inputTokens: 1000,
      cachedInputTokens: 10,
      cacheWriteTokens: 20,
      outputTokens: 5,
      reasoningTokens: 1,
      audioSeconds: 1.5,
    };
    for (let i = 0; i < 20; i++) usageBreakdown(usage, 'fr-FR');
    // fr-FR: one exact-count formatter and one for seconds, whatever the number of rows or calls.
    expect(formats.built).toBeLessThanOrEqual(2);
  });
});
