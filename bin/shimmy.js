#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`): dist/main/bundle/shimmy.js, one bundle of
// dist/main/cli and what it imports (scripts/bundle-cli.mjs), so a start reads a few files, not ~660.
import('../dist/main/bundle/shimmy.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main/bundle')) {
    console.error('shimmy is not built yet: run `npm run build` in the repository first.');
    process.exit(1);
  }
  throw err;
});
