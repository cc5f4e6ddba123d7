#!/usr/bin/env node
// The compiled CLI lives in dist/ (`npm run build`).
import('../dist/main/cli/index.js').catch((err) => {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/main/cli')) {
    console.error('shimmy is not built yet: run `npm run build` in the repository first.');
    process.exit(1);
  }
  throw err;
});
