#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=1048576 node
// MALLOC_MMAP_THRESHOLD_ (glibc; ignored elsewhere) fixes malloc's thresholds. Left dynamic, they
// rise to the largest block ever freed, and then each thread's arena keeps up to twice that free:
// V8's compile and GC threads held ~15 MB of arenas with ~0.3 MB in use after 40k requests (gdb,
// malloc_stats: 4 arenas of 2.4-4.7 MB, 50-110 kB in use each; issue 16). Why 1 MB, not glibc's
// 128 kB default: at 128 kB every block of 128 kB-1 MB was a fresh mmap, and its pages faulted
// in again on each use - 9-26 minor faults per request against ~1 at 1 MB (the bench's Shimmy
// child, c=1 and streamed c=32), and a fault costs ~20 us on this VM. RSS after 100k requests:
// 1.52x / 1.55x raw Node's at 1 MB, 1.48x / 1.50x at 128 kB, 1.71x unset (round 14).
// No V8 flags on this line: the old generation's growth factor is set below and by the core itself
// (start-core.ts), so the desktop shell and `node bin/shimmy.js` get it too. A 4 MB semi-space
// (`-S node --max-semi-space-size=4`) was tried and dropped — quiet A/B, 2026-11-28: streamed c=32
// 59–69% of raw with it vs 74–76% without (helper mem7). Flags put here reach `npm run bench`'s
// Shimmy child too (scripts/bench/launch-flags.mjs reads this line).
// The compiled CLI lives in dist/ (`npm run build`): dist/main/bundle/shimmy.cjs, one bundle of
// dist/main/cli and what it imports (scripts/bundle-cli.mjs), so a start reads a few files, not ~660.
// CommonJS (bin/package.json says so), not an ES module: Node runs an ES module entry through its
// ESM loader, whose set-up, and the module wrappers of the builtins imported, cost ~20 ms of CPU of
// every `shimmy` start on the bench VM (a CommonJS entry requiring the same builtins: ~150 ms to its
// first line vs ~172, load 10; 2,457 vs 2,622 page faults) — and nothing after this file needs it:
// the bundle is CommonJS (issue 16).
/* eslint-disable @typescript-eslint/no-require-imports */
const Module = require('node:module');
const path = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { installCodeCache } = require('./code-cache.js');

// Before anything is compiled: V8 runs cached code only under the flags it was compiled with. Set
// only by startCore, after the bundle had compiled, this made every start refuse every entry the
// previous one wrote — and compile the ~1.7 MB `serve` loads all over again (issue 16: first 200
// ~480 ms). start-core.ts sets the same values (V8_FLAGS, with why); the same values leave the
// flags' hash as it is.
setFlagsFromString('--heap-growing-percent=100 --no-allocation-site-pretenuring --no-wasm-lazy-compilation');

const bundle = path.join(__dirname, '..', 'dist', 'main', 'bundle') + path.sep;
const entry = `${bundle}shimmy.cjs`;

// V8's compiled code of the bundle is kept on disk and reused by the next start: compiling it was
// a large share of `serve`'s start-up (issue 16). Node 22.1+ does that itself; on Node 20,
// code-cache.js does it for the bundle's files. SHIMMY_CODE_CACHE=off turns both off.
// (NODE_DISABLE_COMPILE_CACHE turns Node's off; if Node's cannot start, say in a runtime that
// embeds Node without it, code-cache.js takes over.)
if (process.env.SHIMMY_CODE_CACHE !== 'off') {
  const status = Module.enableCompileCache?.().status;
  const { FAILED } = Module.constants?.compileCacheStatus ?? {};
  if (status === undefined || status === FAILED) installCodeCache(bundle);
}

try {
  require(entry);
} catch (err) {
  if (err?.code === 'MODULE_NOT_FOUND' && String(err.message).includes(entry)) {
    console.error('shimmy is not built yet: run `npm run build` in the repository first.');
    process.exit(1);
  }
  throw err;
}
