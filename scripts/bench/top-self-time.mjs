// Prints the functions with the most self time in a V8 .cpuprofile (from `npm run bench -- --profile`
// or `node --cpu-prof`): `node scripts/bench/top-self-time.mjs FILE.cpuprofile [N] [--by-file] [--callers=NAME]`.
// --inclusive lists Shimmy's own functions by total time (self + everything they call);
// --by-file also totals self time per source file; --callers=NAME shows the call paths (--depth=N
// frames up, default 4) that the self time of function NAME comes from.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const maps = new Map();

/** The compiled core's `.js.map`, so hot spots point at main/core/*.ts, not dist/. */
function sourceMapOf(file) {
  if (!maps.has(file)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      // No map (node internals, node_modules): report the file itself.
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

function where(cf) {
  if (!cf.url) return '';
  let file = cf.url.startsWith('file://') ? fileURLToPath(cf.url) : cf.url;
  // callFrame lines and columns are 0-based, as are SourceMap entries.
  let line = cf.lineNumber;
  const entry =
    file.startsWith(root) && !file.includes('/node_modules/')
      ? sourceMapOf(file)?.findEntry(cf.lineNumber, cf.columnNumber)
      : undefined;
  if (entry?.originalSource) {
    file = resolve(dirname(file), entry.originalSource.replace(/^file:\/\//, ''));
    line = entry.originalLine;
  }
  if (file.startsWith(root)) file = file.slice(root.length);
  return `${file}:${line + 1}`;
}

/** Self time in ms per function (name + file:line), biggest first. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const rows = new Map();
  for (const [id, t] of selfTimesById(profile)) {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
    const row = rows.get(key) ?? { name: cf.functionName || '(anonymous)', where: where(cf), ms: 0 };
    row.ms += t;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.ms - a.ms);
}

/** Self time of function `name`, split by the call path above it (up to `depth` frames), biggest first. */
export function callersOf(profile, name, depth = 4) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = selfTimesById(profile);
  const paths = new Map();
  for (const [id, t] of self) {
    if (byId.get(id).callFrame.functionName !== name) continue;
    const frames = [];
    for (let p = parent.get(id); p !== undefined && frames.length < depth; p = parent.get(p)) {
      const cf = byId.get(p).callFrame;
      frames.push(`${cf.functionName || '(anonymous)'} ${where(cf)}`);
    }
    const key = frames.join('  <  ');
    paths.set(key, (paths.get(key) ?? 0) + t);
  }
  return [...paths].map(([path, ms]) => ({ path, ms })).sort((a, b) => b.ms - a.ms);
}

/** Total time (self + callees) per function, each function counted once per sample, biggest first. */
export function inclusiveTimes(profile, filter = () => true) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const rows = new Map();
  for (const [id, t] of selfTimesById(profile)) {
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const cf = byId.get(p).callFrame;
      const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
      if (seen.has(key) || !filter(key)) continue;
      seen.add(key);
      rows.set(key, (rows.get(key) ?? 0) + t);
    }
  }
  return [...rows].map(([key, ms]) => ({ key, ms })).sort((a, b) => b.ms - a.ms);
}

// A sample's time is the gap to the next one (V8 records the delta before each sample), as DevTools does.
function selfTimesById(profile) {
  const ms = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => ms.set(id, (ms.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000));
  return ms;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, n = '25'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!file) {
    console.error(
      'usage: node scripts/bench/top-self-time.mjs FILE.cpuprofile [N] [--by-file] [--callers=NAME [--depth=N]]',
    );
    process.exit(2);
  }
  const profile = JSON.parse(await readFile(file, 'utf8'));
  const callers = process.argv.find((a) => a.startsWith('--callers='));
  if (callers) {
    const depth = Number(process.argv.find((a) => a.startsWith('--depth='))?.slice('--depth='.length) ?? 4);
    for (const r of callersOf(profile, callers.slice('--callers='.length), depth).slice(0, Number(n)))
      console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.path}`);
    process.exit(0);
  }
  if (process.argv.includes('--inclusive')) {
    // Only Shimmy's own functions: node internals and libraries are in their callers' totals.
    for (const r of inclusiveTimes(profile, (key) => key.includes('main/core/')).slice(0, Number(n)))
      console.log(`${r.ms.toFixed(1).padStart(9)} ms  ${r.key}`);
    process.exit(0);
  }
  const rows = selfTimes(profile);
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const busy = rows.filter((r) => r.name !== '(idle)').reduce((s, r) => s + r.ms, 0);
  console.log(`total ${total.toFixed(0)} ms, busy (not idle) ${busy.toFixed(0)} ms`);
  for (const r of rows.slice(0, Number(n)))
    console.log(
      `${r.ms.toFixed(1).padStart(9)} ms ${((r.ms / busy) * 100).toFixed(1).padStart(5)}%  ${r.name}  ${r.where}`,
    );
  if (process.argv.includes('--by-file')) {
    const files = new Map();
    for (const r of rows) {
      const f = r.where.replace(/:\d+$/, '') || r.name;
      files.set(f, (files.get(f) ?? 0) + r.ms);
    }
    console.log('\nself time by file:');
    for (const [f, t] of [...files].sort((a, b) => b[1] - a[1]).slice(0, Number(n)))
      console.log(`${t.toFixed(1).padStart(9)} ms ${((t / busy) * 100).toFixed(1).padStart(5)}%  ${f}`);
  }
}
