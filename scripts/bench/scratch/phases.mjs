// scratch: c=1 phase timings inside one process holding Shimmy (or raw) and the fake upstream.
import { fork } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { startFakeUpstream } from '../fake-upstream.mjs';
import { startShimmy } from '../start-shimmy.mjs';
import { startRawProxy, startMeteringFloor } from '../pass-through.mjs';
const role = process.argv[2] ?? 'shimmy';
if (role === 'load') {
  const { runLoad } = await import('../load.mjs');
  process.on('message', async (m) => {
    const messages = [
      { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
      { role: 'user', content: 'Why should a local API proxy meter every request and enforce per-tool budgets?' },
    ];
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64 });
    const r = await runLoad({ url: m.url, path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: `Bearer ${m.token}` }, body, concurrency: 1, warmupMs: m.warm, durationMs: m.ms, check: (s) => s === 200 });
    const l = [...r.latenciesMs].sort((a, b) => a - b);
    process.send({ p50: l[l.length >> 1], n: l.length });
  });
} else {
  const fake = await startFakeUpstream();
  const s = role === 'shimmy' ? await startShimmy(fake.url) : role === 'floor' ? await startMeteringFloor(fake.url) : await startRawProxy(fake.url);
  const upPort = Number(new URL(fake.url).port);
  const { ServerResponse } = await import('node:http');
  const origEnd = ServerResponse.prototype.end;
  ServerResponse.prototype.end = function (...a) {
    if (!on || this.socket?.localPort === upPort) return origEnd.apply(this, a);
    t.endCall = performance.now();
    const r = origEnd.apply(this, a);
    t.endRet = performance.now();
    return r;
  };
  let on = false;
  const t = {};
  const sums = {};
  const add = (k, v) => { sums[k] = (sums[k] ?? 0) + v; };
  let n = 0;
  subscribe('http.server.request.start', ({ request }) => {
    if (!on) return;
    const now = performance.now();
    if (request.socket.localPort === upPort) { t.upIn = now; return; }
    if (t.finish !== undefined) add('idle before next', now - t.turnEnd);
    t.start = now;
  });
  subscribe('http.server.response.finish', ({ request }) => {
    if (!on) return;
    const now = performance.now();
    if (request.socket.localPort === upPort) { t.upOut = now; return; }
    t.finish = now;
    n++;
    add('start→upstream in', t.upIn - t.start);
    add('upstream in→out', t.upOut - t.upIn);
    add('upstream out→res.end()', t.endCall - t.upOut);
    add('res.end() itself', t.endRet - t.endCall);
    add('res.end() return→finish', now - t.endRet);
    setImmediate(() => { t.turnEnd = performance.now(); add('finish→turn end', t.turnEnd - t.finish); });
  });
  const child = fork(new URL(import.meta.url), ['load']);
  child.send({ url: s.url, token: s.token ?? 'x', warm: 4000, ms: 1 });
  await new Promise((r) => child.once('message', r));
  on = true;
  const cu = process.cpuUsage();
  child.send({ url: s.url, token: s.token ?? 'x', warm: 1, ms: 4000 });
  const res = await new Promise((r) => child.once('message', r));
  const c = process.cpuUsage(cu);
  on = false;
  console.log(role, 'p50', res.p50.toFixed(3), 'ms; n', n, 'cpu/req', ((c.user + c.system) / n).toFixed(0), 'µs (all threads)');
  for (const [k, v] of Object.entries(sums)) console.log('  ', k.padEnd(28), (v / n * 1000).toFixed(1), 'µs');
  child.kill();
  process.exit(0);
}
