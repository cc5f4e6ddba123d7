// makeUsage keeps every "part of" count inside its total, so no token is priced twice.
import { describe, expect, it } from 'vitest';
import { makeUsage } from '../../../main/core/meter/usage-fields.js';
import { providerDialect } from '../../../main/core/meter/provider-dialect.js';

describe('makeUsage', () => {
  it('keeps every optional dimension that is reported, and drops zero counts', () => {
    const u = makeUsage({
      inputTokens: 1000,
      cachedInputTokens: 300,
      cacheWriteTokens: 200,
      outputTokens: 500,
      reasoningTokens: 100,
      cacheWrite1hTokens: 150,
      inputAudioTokens: 250,
      cachedInputAudioTokens: 50,
      inputImageTokens: 100,
      outputAudioTokens: 0,
      outputImageTokens: 120,
      webSearchRequests: 2,
      audioSeconds: 1.5,
      characters: 12,
      images: 1,
      serviceTier: 'priority',
      inferenceGeo: 'us',
      providerCostUsd: 0,
    });
    expect(u).toEqual({
      inputTokens: 1000,
      cachedInputTokens: 300,
      cacheWriteTokens: 200,
      outputTokens: 500,
      reasoningTokens: 100,
      cacheWrite1hTokens: 150,
      inputAudioTokens: 250,
      cachedInputAudioTokens: 50,
      inputImageTokens: 100,
      outputImageTokens: 120,
      webSearchRequests: 2,
      audioSeconds: 1.5,
      characters: 12,
      images: 1,
      serviceTier: 'priority',
      inferenceGeo: 'us',
      providerCostUsd: 0,
    });
  });

  it('clamps parts that exceed their totals instead of dropping them', () => {
    const u = makeUsage({
      inputTokens: 100,
      cachedInputTokens: 80,
      cacheWriteTokens: 40,
      outputTokens: 50,
      reasoningTokens: 70,
      cacheWrite1hTokens: 90,
      inputAudioTokens: 500,
      cachedInputAudioTokens: 500,
      inputImageTokens: 500,
      outputAudioTokens: 30,
      outputImageTokens: 30,
    });
    // writes 40 ≤ 100; cached ≤ 100 − 40 = 60; 1h ≤ writes; cached audio ≤ cached; uncached
    // audio ≤ the 0 uncached tokens left, so audio = 60 and images 0; output parts ≤ 50 together.
    expect(u).toEqual({
      inputTokens: 100,
      cachedInputTokens: 60,
      cacheWriteTokens: 40,
      outputTokens: 50,
      reasoningTokens: 50,
      cacheWrite1hTokens: 40,
      inputAudioTokens: 60,
      cachedInputAudioTokens: 60,
      outputAudioTokens: 30,
      outputImageTokens: 20,
    });
  });
});

describe('providerDialect', () => {
  it('is decided by the kind and the base URL host', () => {
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://api.x.ai/v1' }).name).toBe('xai');
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://api.deepseek.com' }).name).toBe('deepseek');
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://openrouter.ai/api/v1' }).name).toBe(
      'openrouter',
    );
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://eu.openrouter.ai/api/v1' }).name).toBe(
      'openrouter',
    );
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://api.openai.com/v1' }).name).toBe('standard');
    // A look-alike host is not the provider.
    expect(providerDialect({ kind: 'openai', baseUrl: 'https://notopenrouter.ai/v1' }).name).toBe('standard');
    expect(providerDialect({ kind: 'anthropic', baseUrl: 'https://api.x.ai' }).name).toBe('standard');
  });
});
