// The node flags Shimmy is launched with: those of bin/shimmy.js's `#!/usr/bin/env -S node …`
// line, so the bench's Shimmy child runs as `shimmy serve` does (issue 16: the young generation's
// size is one of them). BENCH_SHIMMY_FLAGS overrides them (an A/B: `BENCH_SHIMMY_FLAGS= node …`
// runs Shimmy with none).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} [root] a checkout whose bin/shimmy.js to read (default: this one) */
export function shimmyLaunchFlags(root = join(import.meta.dirname, '../..')) {
  const given = process.env.BENCH_SHIMMY_FLAGS;
  if (given !== undefined) return given.split(' ').filter(Boolean);
  let first;
  try {
    first = readFileSync(join(root, 'bin/shimmy.js'), 'utf8').split('\n', 1)[0];
  } catch {
    return [];
  }
  const m = /^#!\S*env(?:\s+-S)?\s+node\s+(.*)$/.exec(first ?? '');
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}
