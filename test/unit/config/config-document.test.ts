// A stored config is checked once per start: without zod's JIT, which would first generate and
// compile a parser (new Function) per object schema of the config — start-up CPU for a check that
// runs once (issue 16). A bad document is still refused with the precise reason.
import { describe, expect, it } from 'vitest';
import { initialConfig, validateConfig } from '../../../main/core/config/config-document.js';

describe('validateConfig', () => {
  it('checks a stored document without compiling code', () => {
    const stored = {
      ...initialConfig(),
      tools: [
        {
          name: 'startup',
          createdAt: '2026-11-28T14:00:00.000Z',
          paused: false,
          limits: { dailyUsd: 100 },
          tokens: [
            {
              id: '73bc1a36-ccc6-4bad-9a23-d011e36f8186',
              hash: 'a'.repeat(64),
              hint: 'shm_LBH7…ZtEv',
              createdAt: '2026-11-28T14:00:00.000Z',
              label: 'main',
            },
          ],
        },
      ],
    };
    // A spy on the global constructor (not a module mock): zod's JIT builds its parsers with it.
    const RealFunction = Function;
    let compiled = 0;
    globalThis.Function = new Proxy(RealFunction, {
      construct(target, args) {
        compiled++;
        return Reflect.construct(target, args) as object;
      },
    });
    let result;
    try {
      result = validateConfig(stored);
    } finally {
      globalThis.Function = RealFunction;
    }
    expect(result).not.toHaveProperty('problem');
    expect(compiled).toBe(0);
  });

  it('still refuses a bad document with where and why', () => {
    const result = validateConfig({ ...initialConfig(), tools: [{ name: 7 }] });
    expect(result).toHaveProperty('problem');
    expect((result as { problem: string }).problem).toMatch(/^tools\.0\./);
  });
});
