// How Shimmy is launched: bin/shimmy.js's `#!/usr/bin/env -S [VAR=value …] node [flags …]` line,
// so the bench's Shimmy child runs as `shimmy serve` does (issue 16: glibc's malloc settings and
// node flags there change its RSS). BENCH_SHIMMY_FLAGS overrides the node flags and
// BENCH_SHIMMY_ENV the environment (`VAR=value …`; empty: none), for an A/B.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function shebang(root) {
  let first;
  try {
    first = readFileSync(join(root, 'bin/shimmy.js'), 'utf8').split('\n', 1)[0];
  } catch {
    return { env: [], flags: [] };
  }
  const m = /^#!\S*env(?:\s+-S)?\s+((?:\w+=\S*\s+)*)node\b(.*)$/.exec(first ?? '');
  const words = (s) => (s ?? '').trim().split(/\s+/).filter(Boolean);
  return m ? { env: words(m[1]), flags: words(m[2]) } : { env: [], flags: [] };
}

/** @param {string} [root] a checkout whose bin/shimmy.js to read (default: this one) */
export function shimmyLaunchFlags(root = join(import.meta.dirname, '../..')) {
  const given = process.env.BENCH_SHIMMY_FLAGS;
  if (given !== undefined) return given.split(' ').filter(Boolean);
  return shebang(root).flags;
}

/** The environment the shebang sets, as an object to merge into a child's env. */
export function shimmyLaunchEnv(root = join(import.meta.dirname, '../..')) {
  const given = process.env.BENCH_SHIMMY_ENV;
  const pairs = given !== undefined ? given.split(' ').filter(Boolean) : shebang(root).env;
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}
