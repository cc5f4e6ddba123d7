// Which work makes up each long event-loop block in a .cpuprofile of a bench child (bodies.mjs
// --profile DIR): the profile is cut where the loop came back to the bench's 1 ms probe
// (server-child.mjs, BENCH_BUSY_BLOCKS) or went idle, and every stretch of at least MS ms of
// samples between two cuts is printed with the functions that had the most self time in it.
// `node scripts/bench/profile-blocks.mjs FILE.cpuprofile [MS=10] [TOP=6]`
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [file, minMsArg = '10', topArg = '6'] = process.argv.slice(2);
const minMs = Number(minMsArg);
const top = Number(topArg);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Whether the sample's stack holds the probe (the loop's timers phase reached it). */
const probe = new Map();
function isProbe(id) {
  if (probe.has(id)) return probe.get(id);
  const n = nodes.get(id);
  const here = n.callFrame.url.endsWith('server-child.mjs') && n.callFrame.functionName === '';
  const v = here || (parent.has(id) ? isProbe(parent.get(id)) : false);
  probe.set(id, v);
  return v;
}
const label = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`;
/** The frames just above a sample, for context (innermost first). */
function stack(id, depth) {
  const out = [];
  for (let at = parent.get(id); at !== undefined && out.length < depth; at = parent.get(at)) {
    const n = nodes.get(at);
    if (n.callFrame.functionName !== '(root)') out.push(n.callFrame.functionName || '(anonymous)');
  }
  return out.join(' < ');
}

let t = profile.startTime;
let block = null;
const blocks = [];
const close = () => {
  if (block && block.ms >= minMs) blocks.push(block);
  block = null;
};
profile.samples.forEach((id, i) => {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  t += dt * 1000;
  const n = nodes.get(id);
  if (n.callFrame.functionName === '(idle)' || isProbe(id)) return close();
  block ??= { at: (t - profile.startTime) / 1000, ms: 0, self: new Map() };
  block.ms += dt;
  const key = `${label(n)}  [${stack(id, 3)}]`;
  block.self.set(key, (block.self.get(key) ?? 0) + dt);
});
close();
blocks.sort((a, b) => b.ms - a.ms);
for (const b of blocks.slice(0, 15)) {
  console.log(`${b.ms.toFixed(1)} ms at ${b.at.toFixed(0)} ms:`);
  for (const [k, ms] of [...b.self].sort((x, y) => y[1] - x[1]).slice(0, top))
    console.log(`   ${ms.toFixed(1).padStart(6)}  ${k}`);
}
console.log(`${blocks.length} stretches of ≥ ${minMs} ms`);
