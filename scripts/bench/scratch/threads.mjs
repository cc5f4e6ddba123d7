// scratch: per-thread CPU of a server child under c=32 load
import { readdirSync, readFileSync } from 'node:fs';
import { spawnServer } from '../spawn-server.mjs';
import { runLoad } from '../load.mjs';
const role = process.argv[2] ?? 'shimmy';
const conc = Number(process.argv[3] ?? 32);
const stream = process.argv[4] === 'stream';
const messages = [
  { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
  { role: 'user', content: 'Why should a local API proxy meter every request and enforce per-tool budgets?' },
];
const body = JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
const s = await spawnServer(role, { cpuProfile: process.env.HEAPFILE, execArgv: process.env.XARGS ? process.env.XARGS.split(' ') : [] });
const direct = role === 'direct';
const headers = { 'content-type': 'application/json', authorization: `Bearer ${s.token ?? 'sk-bench'}` };
const ticks = () => {
  const out = {};
  for (const t of readdirSync(`/proc/${s.pid}/task`)) {
    const stat = readFileSync(`/proc/${s.pid}/task/${t}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[t] = { comm, u: Number(f[11]), s: Number(f[12]) };
  }
  return out;
};
const o = { url: s.url, path: '/v1/chat/completions', headers, body, concurrency: conc, check: (st) => st === 200 };
await runLoad({ ...o, warmupMs: Number(process.env.WARM ?? 2000), durationMs: 1 });
const a = ticks();
console.log('MARK start');
const r = await runLoad({ ...o, warmupMs: 10, durationMs: 5000 });
const b = ticks();
console.log('MARK end');
const n = r.completed;
console.log(role, 'requests', n, 'req/s', Math.round(r.latenciesMs.length / r.elapsedMs * 1000));
for (const [t, v] of Object.entries(b)) {
  const p = a[t] ?? { u: 0, s: 0 };
  const du = (v.u - p.u) * 10000 / n, ds = (v.s - p.s) * 10000 / n; // ticks 10ms → µs per request
  if (du + ds > 0.5) console.log(`  ${t} ${v.comm.padEnd(16)} user ${du.toFixed(1)} sys ${ds.toFixed(1)} µs/req`);
}
await s.stop();
