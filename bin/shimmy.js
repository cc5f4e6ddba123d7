#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`): dist/main/bundle/shimmy.js, one bundle of
// dist/main/cli and what it imports (scripts/bundle-cli.mjs), so a start reads a few files, not ~660.
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle on disk (in the OS temp dir) and reuses it on
// the next start: compiling ~2 MB of bundle is a large share of `serve`'s start-up (issue 16).
// Node 20 has no such API: there this does nothing.
module.enableCompileCache?.();

import('../dist/main/bundle/shimmy.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main/bundle')) {
    console.error('shimmy is not built yet: run `npm run build` in the repository first.');
    process.exit(1);
  }
  throw err;
});
