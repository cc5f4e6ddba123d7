// scratch: inclusive time of the children under every frame named NAME (aggregated), depth D
import { readFileSync } from 'node:fs';
const [file, name, depthArg] = process.argv.slice(2);
const maxDepth = Number(depthArg ?? 2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const incl = new Map();
const total = (n) => {
  if (incl.has(n.id)) return incl.get(n.id);
  let t = dt.get(n.id) ?? 0;
  for (const c of n.children ?? []) t += total(byId.get(c));
  incl.set(n.id, t);
  return t;
};
const label = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\//, '')}:${n.callFrame.lineNumber + 1}`;
const agg = new Map();
const walk = (n, depth, path) => {
  if (depth > maxDepth) return;
  for (const c of n.children ?? []) {
    const cn = byId.get(c);
    const key = path + ' > ' + label(cn);
    agg.set(key, (agg.get(key) ?? 0) + total(cn));
    walk(cn, depth + 1, key);
  }
};
let rootTotal = 0;
for (const n of p.nodes) if (n.callFrame.functionName === name) { rootTotal += total(n); walk(n, 1, name); }
console.log(name, (rootTotal / 1000).toFixed(0), 'ms');
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((v / 1000).toFixed(0).padStart(6), 'ms ', k);
