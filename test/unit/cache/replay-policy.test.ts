import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../shared/usage.js';
import { isReplayable, type ReplayPolicy } from '../../../main/core/cache/index.js';

function check(
  endpoint: Endpoint,
  body: unknown,
  policy: ReplayPolicy = 'deterministic',
  headers = {},
): boolean {
  return isReplayable({ endpoint, body, headers, policy });
}

describe('isReplayable, deterministic policy', () => {
  it('replays embeddings always', () => {
    expect(check('embeddings', { input: 'x', model: 'text-embedding-3-small' })).toBe(true);
  });

  it.each(['chat', 'completions', 'responses', 'messages'] as const)(
    '%s: only temperature 0 or a seed',
    (ep) => {
      expect(check(ep, { temperature: 0 })).toBe(true);
      expect(check(ep, { seed: 42 })).toBe(true);
      expect(check(ep, { seed: 0, temperature: 1 })).toBe(true);
      expect(check(ep, {})).toBe(false);
      expect(check(ep, { temperature: 0.2 })).toBe(false);
      expect(check(ep, { temperature: '0' })).toBe(false);
      expect(check(ep, { seed: null })).toBe(false);
    },
  );

  it('never replays n > 1, even with temperature 0', () => {
    expect(check('chat', { temperature: 0, n: 2 })).toBe(false);
    expect(check('chat', { seed: 1, n: 3 })).toBe(false);
    expect(check('chat', { temperature: 0, n: 1 })).toBe(true);
  });

  it('refuses non-object bodies for generation endpoints', () => {
    expect(check('chat', null)).toBe(false);
    expect(check('chat', [{ temperature: 0 }])).toBe(false);
  });
});

describe('isReplayable, always policy', () => {
  it('replays any cacheable endpoint whatever the sampling settings', () => {
    expect(check('chat', { temperature: 1 }, 'always')).toBe(true);
    expect(check('messages', {}, 'always')).toBe(true);
    expect(check('chat', { n: 4 }, 'always')).toBe(true);
  });
});

describe('isReplayable, never', () => {
  it('for a body that is not a JSON object (a form, unreadable text): all such would share one key', () => {
    expect(check('chat', undefined, 'always')).toBe(false);
    expect(check('embeddings', 'input=hi', 'always')).toBe(false);
    expect(check('chat', [{ temperature: 0 }], 'deterministic')).toBe(false);
  });

  it.each(['count_tokens', 'other'] as const)('for the %s endpoint', (ep) => {
    expect(check(ep, { temperature: 0 }, 'always')).toBe(false);
    expect(check(ep, { temperature: 0 }, 'deterministic')).toBe(false);
  });

  it.each([
    [{ 'x-shimmy-cache': 'no-store' }],
    [{ 'X-Shimmy-Cache': 'No-Store' }],
    [{ 'cache-control': 'no-cache' }],
    [{ 'cache-control': 'max-age=0, no-store' }],
    [{ 'Cache-Control': ['private', 'NO-CACHE'] }],
  ])('when the request opts out: %j', (headers) => {
    expect(check('embeddings', { input: 'x' }, 'always', headers)).toBe(false);
    expect(check('chat', { temperature: 0 }, 'deterministic', headers)).toBe(false);
  });

  it('but other cache-control directives do not opt out', () => {
    expect(check('chat', { temperature: 0 }, 'deterministic', { 'cache-control': 'max-age=60' })).toBe(true);
    expect(check('chat', { temperature: 0 }, 'deterministic', { 'x-shimmy-cache': undefined })).toBe(true);
  });
});
