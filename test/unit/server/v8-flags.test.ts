// The V8 flags every host of the core runs with are set twice: by bin/shimmy.js before the bundle
// compiles (V8 refuses code cached under other flags) and by startCore for the other hosts (the
// desktop shell, the bench). They must stay equal, and carry the two the core relies on.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS } from '../../../main/core/start-core.js';

describe('V8 flags', () => {
  it('bin/shimmy.js sets exactly the flags startCore sets', async () => {
    const bin = await readFile(new URL('../../../bin/shimmy.js', import.meta.url), 'utf8');
    const set = [...bin.matchAll(/setFlagsFromString\('([^']*)'\)/g)].map((m) => m[1]);
    expect(set).toEqual([V8_FLAGS]);
  });

  it('bounds old-space growth, turns allocation-site pretenuring off, compiles WebAssembly whole', () => {
    // Why each: start-core.ts (issue 16: RSS after 100k requests; scavenges that kept 1.1 MB of
    // dead requests alive at c=1; undici's HTTP parser compiled on the first request).
    expect(V8_FLAGS.split(' ').sort()).toEqual([
      '--heap-growing-percent=100',
      '--no-allocation-site-pretenuring',
      '--no-wasm-lazy-compilation',
    ]);
  });
});
