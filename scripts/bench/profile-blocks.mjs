// Which work makes up each long event-loop block of a bench child: the blocks it logged
// (bodies.mjs --block-log MS, each with its end on the monotonic clock) matched against its
// .cpuprofile (bodies.mjs --profile DIR; same clock), printing for each of the longest blocks the
// functions with the most self time inside it (GC shows as "(garbage collector)").
// `node scripts/bench/profile-blocks.mjs FILE.cpuprofile BENCH-OUTPUT.log PID [TOP=6] [COUNT=12]`
// (the bench prints each child's PID beside its name).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [file, logFile, pid, topArg = '6', countArg = '12'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (n) =>
  `${n.callFrame.functionName || '(anonymous)'}${n.callFrame.url ? ` ${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
/** Two frames above, for context. */
function callers(id) {
  const out = [];
  for (let at = parent.get(id); at !== undefined && out.length < 2; at = parent.get(at)) {
    const n = nodes.get(at);
    if (n.callFrame.functionName !== '(root)') out.push(n.callFrame.functionName || '(anonymous)');
  }
  return out.join(' < ');
}

// Sample i ran from times[i - 1] to times[i] (µs).
const times = [];
let t = profile.startTime;
for (const d of profile.timeDeltas) times.push((t += d));

const re = new RegExp(
  `^\\[${pid}\\] block at (\\d+) ms: ([\\d.]+) ms wall, ([\\d.]+) ms main-thread CPU, hr (\\d+)`,
);
const blocks = [];
for (const line of readFileSync(logFile, 'utf8').split('\n')) {
  const m = re.exec(line);
  if (!m) continue;
  const b = { at: Number(m[1]), wall: Number(m[2]), cpu: Number(m[3]), end: Number(m[4]) };
  // Only blocks the profile covers (it starts once the child is ready, so start-up is not here).
  if (b.end - b.wall * 1000 >= profile.startTime && b.end <= profile.endTime) blocks.push(b);
}
blocks.sort((a, b) => Math.min(b.wall, b.cpu) - Math.min(a.wall, a.cpu));
for (const b of blocks.slice(0, Number(countArg))) {
  const from = b.end - b.wall * 1000;
  const self = new Map();
  for (let i = 1; i < times.length; i++) {
    if (times[i] <= from || times[i - 1] >= b.end) continue;
    const ms = (Math.min(times[i], b.end) - Math.max(times[i - 1], from)) / 1000;
    const id = profile.samples[i];
    const key = `${label(nodes.get(id))}  [${callers(id)}]`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
  console.log(`block at ${b.at} ms: ${b.wall} ms wall, ${b.cpu} ms main-thread CPU`);
  for (const [k, ms] of [...self].sort((x, y) => y[1] - x[1]).slice(0, Number(topArg)))
    console.log(`  ${ms.toFixed(1).padStart(6)} ms  ${k}`);
}
if (blocks.length === 0) console.log(`no blocks of pid ${pid} in ${logFile}`);
