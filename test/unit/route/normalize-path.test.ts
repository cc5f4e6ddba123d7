import { describe, expect, it } from 'vitest';
import { normalizePath } from '../../../main/core/route/normalize-path.js';

describe('normalizePath', () => {
  it.each([
    ['/v1/chat/completions', '/v1/chat/completions'],
    ['/v1/chat/completions/.', '/v1/chat/completions'],
    ['/v1//chat/completions', '/v1/chat/completions'],
    ['/v1/chat/completions/', '/v1/chat/completions'],
    ['/v1/chat/%63ompletions', '/v1/chat/completions'],
    ['/v1/%2e/chat/completions', '/v1/chat/completions'],
    ['/v1/x/%2E%2E/chat/completions', '/v1/chat/completions'],
    ['/v1/chat\\completions', '/v1/chat/completions'],
    ['/v1/./chat//completions//', '/v1/chat/completions'],
    ['/v1/files/file-AbC/content', '/v1/files/file-AbC/content'],
    ['/v1beta/models/gemini-2.5-pro:generateContent', '/v1beta/models/gemini-2.5-pro:generateContent'],
    ['/v1/models/..x', '/v1/models/..x'],
  ])('%s → %s', (raw, path) => {
    expect(normalizePath(raw)).toEqual({ ok: true, path });
  });

  it.each([
    '/v1/chat%2Fcompletions',
    '/v1/chat%5Ccompletions',
    '/v1/chat/%2563ompletions',
    '/v1/chat/completions%00',
    '/v1/chat/completions%zz',
    '/v1/chat/completions;x=1',
    '/v1/../api/settings',
    '/v1/%2e%2e/api',
    '/v1/chat/completions#x',
    '/v1/chat/compl"etions',
  ])('refuses %s', (raw) => {
    expect(normalizePath(raw).ok).toBe(false);
  });
});
