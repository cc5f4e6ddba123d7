// scratch: instructions per request on the server child's main thread, under callgrind.
import { fork, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Pool } from 'undici';
import { shimmyLaunchEnv, shimmyLaunchFlags } from '../launch-flags.mjs';
const role = process.argv[2] ?? 'shimmy';
const conc = Number(process.argv[3] ?? 8);
const n = Number(process.argv[4] ?? 400);
const warm = Number(process.argv[5] ?? 1500);
const stream = process.argv[6] === 'stream';
const out = mkdtempSync(join(tmpdir(), 'cg-'));
const env = { ...process.env, ...(role === 'shimmy' ? shimmyLaunchEnv() : {}) };
const child = fork(join(import.meta.dirname, '../server-child.mjs'), [role], {
  execPath: 'valgrind',
  execArgv: ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', `--callgrind-out-file=${out}/cg.%p`, process.execPath, '--expose-gc', ...(role === 'shimmy' ? shimmyLaunchFlags() : [])],
  env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const [ready] = await new Promise((res) => child.on('message', (m) => m?.type === 'ready' && res([m])));
const messages = [
  { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
  { role: 'user', content: 'Why should a local API proxy meter every request and enforce per-tool budgets?' },
];
const body = JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64, ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });
const headers = { 'content-type': 'application/json', authorization: `Bearer ${ready.token ?? 'sk-bench'}` };
const pool = new Pool(ready.url, { connections: conc, pipelining: 1 });
const go = async (count) => {
  let left = count;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (left-- > 0) {
      const r = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body });
      const t = await r.body.text();
      if (r.statusCode !== 200) throw new Error(t);
    }
  }));
};
const t0 = Date.now();
await go(warm);
await new Promise((r) => setTimeout(r, 300));
execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
await go(n);
execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' });
execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
await pool.close();
child.send({ type: 'stop' });
await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 20000))]);
const rows = [];
for (const f of readdirSync(out)) {
  const txt = readFileSync(join(out, f), 'utf8');
  const m = /^totals: (\d+)/m.exec(txt);
  const th = /^thread: (\d+)/m.exec(txt)?.[1] ?? '?';
  if (m && Number(m[1]) > 0) rows.push([f, th, Number(m[1])]);
}
rows.sort((a, b) => b[2] - a[2]);
for (const [f, th, ir] of rows) if (ir / n > 1000) console.log(`${role} thread ${th} ${(ir / n / 1000).toFixed(1)}k instr/request  ${out}/${f}`);
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
