import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson } from '../../../main/core/cache/index.js';

const base = { provider: 'openai', model: 'gpt-4o-mini', endpoint: 'chat' as const };

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members like JSON.stringify and nulls them inside arrays', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 'x'] })).toBe('{"b":[null,"x"]}');
  });
});

describe('cacheKey', () => {
  it('is the sha256 hex of the canonical [provider, model, endpoint, body] array', () => {
    const expected = createHash('sha256')
      .update('["openai","gpt-4o-mini","chat",{"messages":[{"content":"hi","role":"user"}],"temperature":0}]')
      .digest('hex');
    const key = cacheKey({
      ...base,
      body: { temperature: 0, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(key).toBe(expected);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is equal for bodies whose keys are reordered, nested ones included', () => {
    const a = cacheKey({
      ...base,
      body: {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream_options: { include_usage: true, x: 1 },
      },
    });
    const b = cacheKey({
      ...base,
      body: {
        stream_options: { x: 1, include_usage: true },
        messages: [{ content: 'hi', role: 'user' }],
        model: 'm',
      },
    });
    expect(a).toBe(b);
  });

  it('differs when provider, model, endpoint, body or array order differ', () => {
    const body = { input: ['a', 'b'] };
    const ref = cacheKey({ ...base, body });
    const others = [
      cacheKey({ ...base, provider: 'azure', body }),
      cacheKey({ ...base, model: 'gpt-4o', body }),
      cacheKey({ ...base, endpoint: 'embeddings', body }),
      cacheKey({ ...base, body: { input: ['b', 'a'] } }),
      cacheKey({ ...base, body: { input: ['a', 'b'], stream: true } }),
      cacheKey({ ...base, body: { input: ['a', 'b', ''] } }),
    ];
    for (const k of others) expect(k).not.toBe(ref);
    expect(new Set(others).size).toBe(others.length);
  });

  it('cannot be confused by moving text between provider and model', () => {
    expect(cacheKey({ ...base, provider: 'ab', model: 'c', body: {} })).not.toBe(
      cacheKey({ ...base, provider: 'a', model: 'bc', body: {} }),
    );
  });
});
