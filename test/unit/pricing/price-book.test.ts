import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES_DATE, createPriceBook } from '../../../main/core/pricing/index.js';
import type { Price } from '../../../shared/prices.js';

const book = (user: Record<string, Price> = {}, refreshed: Record<string, Price> = {}) =>
  createPriceBook({ user: () => user, refreshed: () => refreshed });

describe('createPriceBook lookup', () => {
  it('exact key', () => {
    expect(book().lookup('gpt-4o')).toEqual({
      model: 'gpt-4o',
      key: 'gpt-4o',
      source: 'builtin',
      price: { input: 2.5, cachedInput: 1.25, output: 10 },
    });
    expect(BUILTIN_PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('strips a provider prefix from the model and from LiteLLM-style table keys', () => {
    expect(book().lookup('openai/gpt-4o-mini')?.key).toBe('gpt-4o-mini');
    const refreshed = { 'anthropic/claude-x-1': { input: 7, output: 9 } };
    expect(book({}, refreshed).lookup('claude-x-1')).toMatchObject({
      key: 'anthropic/claude-x-1',
      source: 'refreshed',
    });
  });

  it('strips date suffixes and -latest', () => {
    expect(book().lookup('gpt-4o-mini-2024-07-18')?.key).toBe('gpt-4o-mini');
    expect(book().lookup('claude-sonnet-4-5-20250929')?.key).toBe('claude-sonnet-4-5');
    expect(book().lookup('claude-3-7-sonnet-latest')?.key).toBe('claude-3-7-sonnet');
    expect(book().lookup('gpt-4.1-mini-2025-04-14')?.key).toBe('gpt-4.1-mini');
  });

  it('falls back to the longest `-` family prefix, never across a `.`', () => {
    expect(book().lookup('gpt-5-codex')?.key).toBe('gpt-5');
    expect(book().lookup('gpt-5-mini-2025-08-07')?.key).toBe('gpt-5-mini');
    expect(book().lookup('claude-opus-4-5-20251101')?.key).toBe('claude-opus-4-5');
    expect(book().lookup('claude-opus-4-20250514')?.key).toBe('claude-opus-4');
    expect(book().lookup('o3-mini-high')?.key).toBe('o3-mini');
    // gpt-4.5 is not gpt-4.1 nor anything else: unpriced, never $0.
    expect(book().lookup('gpt-4.5-preview')).toBeUndefined();
    expect(book().lookup('gpt-4ox')).toBeUndefined();
    expect(book().lookup('gpt-4o-minix')?.key).toBe('gpt-4o');
    expect(book().lookup('llama-3-70b')).toBeUndefined();
  });

  it('precedence user > refreshed > builtin', () => {
    const refreshed = { 'gpt-4o': { input: 2, output: 9 }, o3: { input: 1.9, output: 7 } };
    const user = { 'gpt-4o': { input: 1, output: 1 } };
    const b = book(user, refreshed);
    expect(b.lookup('gpt-4o-2024-08-06')).toMatchObject({ source: 'user', price: { input: 1, output: 1 } });
    expect(b.lookup('o3')).toMatchObject({ source: 'refreshed', price: { input: 1.9, output: 7 } });
    expect(b.lookup('gpt-5')).toMatchObject({ source: 'builtin' });
  });

  it('a first-party key beats a reseller-prefixed one from a lower or equal source', () => {
    const refreshed = {
      'azure/gpt-4o-mini': { input: 0.165, output: 0.66 },
      'vertex_ai/claude-sonnet-4': { input: 3.3, output: 16.5 },
    };
    expect(book({}, refreshed).lookup('openai/gpt-4o-mini')).toMatchObject({
      key: 'gpt-4o-mini',
      source: 'builtin',
    });
    expect(book({}, refreshed).lookup('claude-sonnet-4-20250514')).toMatchObject({
      key: 'claude-sonnet-4',
      source: 'builtin',
    });
  });

  it('sees new source objects (config saved) without being recreated', () => {
    let user: Record<string, Price> = {};
    const b = createPriceBook({ user: () => user, refreshed: () => ({}) });
    expect(b.lookup('my-local-model')).toBeUndefined();
    user = { 'my-local-model': { input: 0, output: 0 } };
    expect(b.lookup('my-local-model')).toMatchObject({ source: 'user', price: { input: 0, output: 0 } });
    expect(b.list().find((m) => m.key === 'my-local-model')?.source).toBe('user');
    expect(b.list().filter((m) => m.key === 'gpt-4o-mini')).toHaveLength(1);
  });
});
