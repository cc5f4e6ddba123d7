// Issue 16's stream and body figures, raw node:http pass-through vs Shimmy, each in its own child
// with its own fake upstream (bench-answers.mjs), ratios from the same run:
//   slow    N concurrent slow streams (a chunk every 50 ms for 20 s): all complete? first-byte p50/p99,
//           event-loop CPU per relayed event, heap + buffers per open stream midway
//   memory  heap + buffers per open stream holding a 75 kB and a 373 kB answer (500 streams, the
//           median of 5 readings after a full GC each, beside a control with none open)
//   bodies  20 MB bodies: bodies.mjs (its own options: profiles, GC traces, an A/B build)
// `npm run bench -- --streams` runs them after the proxy bench; alone:
// `node scripts/bench/streams.mjs [--parts slow,memory,bodies] [--slow-streams 1000] [--rounds 1]`.
// Needs dist/ (`npm run build:core`). Every load is bounded in count and time.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Agent, request } from 'undici';
import { runBodiesBench } from './bodies.mjs';
import { spawnServer } from './spawn-server.mjs';

const PATH = '/v1/chat/completions';
const smallBody = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Stream me a long answer.' }],
});

/** A streamed request of about `kb` kB, as an agent's (its whole conversation in each request). */
const bodyOfKb = (kb) =>
  kb > 0
    ? JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: Array.from({ length: Math.ceil(kb / 4) }, (_, i) => ({
          role: i % 2 ? 'assistant' : 'user',
          content: `Turn ${i}: ${'lorem ipsum dolor sit amet '.repeat(150)}`,
        })),
      })
    : smallBody;

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** `upstream`: a fake-upstream child of its own (split layout) shared by both targets, or
 *  undefined for a fake upstream inside each proxy's child (the shared-loop layout). */
async function startTargets(profile, upstream) {
  const targets = [];
  for (const name of ['raw', 'shimmy']) {
    const server = await spawnServer(name, {
      // The raw pass-through's profile beside it (FILE.raw.cpuprofile): what Shimmy does beyond it.
      ...(profile
        ? { cpuProfile: name === 'shimmy' ? profile : profile.replace(/(\.cpuprofile)?$/, '.raw.cpuprofile') }
        : {}),
      ...(upstream ? { upstreamUrl: upstream.url } : {}),
      // From the slow burst on, not the warm-up's short streams (which held half the samples).
      env: { BENCH_PROFILE_AT_STAGES: '1' },
    });
    targets.push({
      name,
      server,
      upstream,
      url: server.url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token ?? 'sk-bench'}` },
    });
  }
  return targets;
}

/**
 * Sends `n` requests at once through one unbounded client pool; resolves with each one's time to
 * its first body byte and to its end, its bytes and whether it completed within `timeoutMs`.
 * `onBytes(i, total)` sees the body as it arrives.
 */
async function concurrent(t, { n, body, answer, timeoutMs, onBytes, signal }) {
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 5_000 });
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = { headersMs: NaN, firstMs: NaN, endMs: NaN, bytes: 0, ok: false };
      try {
        const res = await request(t.url + PATH, {
          method: 'POST',
          headers: { ...t.headers, 'x-bench-answer': answer },
          body,
          dispatcher: agent,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: signal
            ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
            : AbortSignal.timeout(timeoutMs),
        });
        r.headersMs = performance.now() - t0;
        for await (const c of res.body) {
          if (res.statusCode !== 200 && !r.error)
            r.error = `HTTP ${res.statusCode}: ${String(c).slice(0, 300)}`;
          if (r.bytes === 0) r.firstMs = performance.now() - t0;
          r.bytes += c.length;
          onBytes?.(i, r.bytes);
        }
        r.endMs = performance.now() - t0;
        r.ok = res.statusCode === 200;
      } catch (err) {
        r.error = String(err?.code ?? err?.message ?? err);
      }
      return r;
    }),
  );
  await agent.close();
  results.t0EpochMs = performance.timeOrigin + t0;
  return results;
}

/** The main thread's CPU (µs, from /proc: the event loop's own) and its heap + buffers. */
async function sample(t, gc = false) {
  const s = await t.server.stats({ gc });
  // Write and read system calls of the whole child (Linux), its fake upstream's included.
  const io = (name) => {
    try {
      return Number(
        new RegExp(`^${name}: (\\d+)$`, 'm').exec(readFileSync(`/proc/${t.server.pid}/io`, 'latin1'))?.[1] ??
          NaN,
      );
    } catch {
      return NaN;
    }
  };
  return {
    gc: s.gc,
    cpu: s.mainThreadCpuMicros ?? s.cpuMicros,
    mem: s.heapUsedBytes + s.externalBytes,
    syscw: io('syscw'),
    syscr: io('syscr'),
  };
}

/** Serves short streams at c=32 for up to `ms` (at most 4,000), unmeasured: the burst then meets
 *  each proxy in the state it spends the day in (JIT-compiled, lazily loaded modules in), as the
 *  proxy bench does (bench.mjs, --jit-warmup). Without it the burst measured Shimmy's cold start:
 *  its first hundreds of requests run its far larger request path in the interpreter. */
async function warmUp(t, ms) {
  const until = performance.now() + ms;
  let sent = 0;
  const worker = async () => {
    while (performance.now() < until && sent < 4_000) {
      sent++;
      await concurrent(t, { n: 1, body: smallBody, answer: 'big', timeoutMs: 10_000 });
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return sent;
}

async function slowStreams(targets, n, events, intervalMs, warmMs) {
  const rows = {};
  for (const t of targets) {
    if (warmMs > 0) await warmUp(t, warmMs);
    const before = await sample(t, true);
    const upBefore = t.upstream ? await sample({ server: t.upstream }) : undefined;
    await t.server.stages(true);
    await t.upstream?.stages(true);
    const run = concurrent(t, {
      n,
      body: smallBody,
      answer: `slow:${events}:${intervalMs}`,
      timeoutMs: events * intervalMs * 4 + 20_000,
    });
    // Midway (every stream open, each holding half its answer so far): what an open stream keeps,
    // after a full GC (one pause of a few ms, the same for both targets).
    await new Promise((r) => setTimeout(r, (events * intervalMs) / 2));
    const mid = await sample(t, true);
    const res = await run;
    const after = await sample(t);
    const upAfter = t.upstream ? await sample({ server: t.upstream }) : undefined;
    const stageTimes = await t.server.stages(false);
    // Split layout: the provider's side of the stages is in the upstream's own child.
    if (t.upstream) stageTimes.upstreamIn = (await t.upstream.stages(false)).upstreamIn;
    const ok = res.filter((r) => r.ok);
    const open = res.filter(
      (r) => r.firstMs < (events * intervalMs) / 2 && !(r.endMs < (events * intervalMs) / 2),
    ).length;
    const first = ok.map((r) => r.firstMs).sort((a, b) => a - b);
    const ends = ok.map((r) => r.endMs).sort((a, b) => a - b);
    rows[t.name] = {
      completed: ok.length,
      firstP50Ms: pct(first, 0.5),
      firstP99Ms: pct(first, 0.99),
      allDoneMs: ends.at(-1),
      firstError: res.find((r) => !r.ok)?.error,
      // The child's event loop per relayed event (its own fake upstream's writes included, the
      // same for both targets): what decides how many streams one core carries.
      cpuPerEventMicros: (after.cpu - before.cpu) / (n * (events + 3)),
      // Split layout: the upstream child's own event loop per event (the same work for both).
      upstreamCpuPerEventMicros: upAfter ? (upAfter.cpu - upBefore.cpu) / (n * (events + 3)) : undefined,
      // GC pauses of the child per event (µs), young and old generation, and how many.
      gc: after.gc && {
        scavengeMicrosPerEvent: ((after.gc.scavengeMs - before.gc.scavengeMs) * 1000) / (n * (events + 3)),
        scavenges: after.gc.scavenges - before.gc.scavenges,
        majorMicrosPerEvent: ((after.gc.majorMs - before.gc.majorMs) * 1000) / (n * (events + 3)),
        majors: after.gc.majors - before.gc.majors,
      },
      writesPerEvent: (after.syscw - before.syscw) / (n * (events + 3)),
      readsPerEvent: (after.syscr - before.syscr) / (n * (events + 3)),
      midwayOpen: open,
      perOpenStreamKb: open > 0 ? (mid.mem - before.mem) / open / 1024 : NaN,
      stages: stageSpread(res, stageTimes),
    };
    const r = rows[t.name];
    console.log(
      `  slow streams ×${n} ${t.name.padEnd(6)} completed ${ok.length}/${n}, first byte p50 ${r.firstP50Ms?.toFixed(0)} ms p99 ${r.firstP99Ms?.toFixed(0)} ms, all done in ${(r.allDoneMs / 1000).toFixed(1)} s; event loop ${r.cpuPerEventMicros.toFixed(1)} µs CPU per event${r.upstreamCpuPerEventMicros === undefined ? '' : ` (+ ${r.upstreamCpuPerEventMicros.toFixed(1)} µs in the upstream's own process)`} (${r.writesPerEvent.toFixed(2)} write, ${r.readsPerEvent.toFixed(2)} read syscalls${r.gc ? `; GC ${r.gc.scavengeMicrosPerEvent.toFixed(1)} µs young ×${r.gc.scavenges}, ${r.gc.majorMicrosPerEvent.toFixed(1)} µs old ×${r.gc.majors}` : ''}); midway ${r.perOpenStreamKb.toFixed(1)} kB heap + buffers per open stream (${open} open) (load ${load()})`,
    );
    console.log(
      `    stages, ms from the first request sent (p50 / p90 / p99 / max, count): ${Object.entries(r.stages)
        .map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join(' / ')}`)
        .join('; ')}`,
    );
  }
  return rows;
}

/** When each stage of the streams happened, as a spread over the streams: the proxy accepted the
 *  connection, read the request, opened an upstream socket, the fake upstream got the request,
 *  the client got the headers and the first body byte (ms since the burst began). The stages are
 *  not linked stream by stream; each spread is its own, so a stage whose p99 jumps is where the
 *  tail builds up. */
function stageSpread(res, times) {
  const spread = (ms) => {
    const s = ms.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    return [pct(s, 0.5), pct(s, 0.9), pct(s, 0.99), s.at(-1), s.length];
  };
  const since = (list) => list.map((x) => x - res.t0EpochMs);
  return {
    accept: spread(since(times.proxyAccept)),
    request: spread(since(times.proxyIn)),
    connect: spread(since(times.upstreamConnect)),
    upstream: spread(since(times.upstreamIn)),
    headers: spread(res.map((r) => r.headersMs)),
    first: spread(res.map((r) => r.firstMs)),
  };
}

/** The longest the memory part waits for its answers to arrive (a loaded 2-core VM relays 500 ×
 *  373 kB in tens of seconds). */
const ARRIVAL_MS = 90_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The child's JS heap + Buffers after a full GC (--expose-gc, spawn-server.mjs), the median of
 *  `k` readings in a row, and its RSS at the last: one reading after one GC swung by ±2 MB on
 *  this VM (allocation-site pretenuring, a scavenge's leftovers), which over 200 streams was
 *  ±10 kB a stream and made the 373 kB answer's figure negative on both sides. */
async function held(t, k) {
  const bytes = [];
  let s;
  for (let i = 0; i < k; i++) {
    s = await t.server.stats({ gc: true });
    bytes.push(s.heapUsedBytes + s.externalBytes);
  }
  return { bytes: median(bytes), rss: s.rssBytes };
}

/** Heap + buffers added per open stream once each holds a whole `answerBytes` answer (not yet
 *  ended), read after a full GC as the median of `readings` (what a stream retains, not garbage
 *  awaiting collection), at arrival and 1 s later. The control: the same reading twice with no
 *  stream open, 1 s apart, divided by the same `n`: what the method itself moves, the figure's
 *  resolution. The streams then stay open until every reading is taken. */
async function memoryPerStream(targets, n, answerBytes, readings, body = smallBody) {
  const rows = {};
  for (const t of targets) {
    // Warm streams first, so lazily loaded code and the pools' first growth are not counted per
    // stream.
    await concurrent(t, { n: 16, body, answer: `hold:${answerBytes}:10`, timeoutMs: 30_000 });
    const c0 = await held(t, readings);
    await new Promise((r) => setTimeout(r, 1_000));
    const b = await held(t, readings);
    let full = 0;
    let allIn;
    const arrived = new Promise((r) => (allIn = r));
    const seen = new Uint8Array(n);
    // Held open long enough for the answers to arrive (at most ARRIVAL_MS) and both readings, then
    // cut by the client: what the streams keep is read while every one is open.
    const holdMs = ARRIVAL_MS + 30_000;
    const done = new AbortController();
    const run = concurrent(t, {
      signal: done.signal,
      n,
      body,
      answer: `hold:${answerBytes}:${holdMs}`,
      timeoutMs: holdMs + 60_000,
      onBytes: (i, bytes) => {
        if (!seen[i] && bytes >= answerBytes) {
          seen[i] = 1;
          if (++full === n) allIn();
        }
      },
    });
    const waited = performance.now();
    await Promise.race([arrived, new Promise((r) => setTimeout(r, ARRIVAL_MS))]);
    const arrivedMs = performance.now() - waited;
    const d = await held(t, readings);
    // Read again once the streams have stayed open past Shimmy's held-events age (250–500 ms,
    // meter/held-events-sweep.ts): an answer that arrived at once is held unparsed for up to that
    // long by design, so the reading at arrival shows that window and this one what an open
    // stream keeps for the rest of its life.
    await new Promise((r) => setTimeout(r, 1_000));
    const e = await held(t, readings);
    done.abort();
    await run;
    const perStream = (x, y) => (x - y) / n / 1024;
    rows[t.name] = {
      streams: n,
      streamsFull: full,
      arrivedMs,
      perStreamKb: perStream(e.bytes, b.bytes),
      atArrivalPerStreamKb: perStream(d.bytes, b.bytes),
      // No stream open: what the reading itself moves in 1 s (its resolution), per the same n.
      controlPerStreamKb: perStream(b.bytes, c0.bytes),
      // RSS moves in steps on this shared VM; the JS heap + Buffers held is the steadier figure.
      rssPerStreamKb: perStream(e.rss, b.rss),
    };
    const r = rows[t.name];
    console.log(
      `  memory ${Math.round(answerBytes / 1000)} kB answers ×${n} ${t.name.padEnd(6)} ${r.perStreamKb.toFixed(1)} kB heap + buffers per open stream 1 s after the answers arrived, ${r.atArrivalPerStreamKb.toFixed(1)} kB at arrival; control (none open) ${r.controlPerStreamKb.toFixed(1)} kB (RSS ${r.rssPerStreamKb.toFixed(0)} kB; ${full} full in ${(arrivedMs / 1000).toFixed(1)} s; median of ${readings} readings; load ${load()})`,
    );
  }
  return rows;
}

/** Runs the chosen parts; returns their figures with the ratios to raw. */
export async function runStreamsBench(opts = {}) {
  const parts = opts.parts ?? ['slow', 'memory', 'bodies'];
  const out = { loadAverage: loadavg() };
  console.log(`\nStreams and big bodies (issue 16): parts ${parts.join(', ')}; load ${load()}`);
  const layout = opts.layout ?? 'split';
  const needTargets = parts.some((p) => p !== 'bodies');
  const upstream = needTargets && layout === 'split' ? await spawnServer('direct') : undefined;
  const targets = needTargets ? await startTargets(opts.profile, upstream) : [];
  out.layout = layout;
  if (needTargets)
    console.log(
      `  layout: ${layout === 'split' ? 'the fake upstream in a process of its own, shared by both targets (as a real provider: not on the proxy’s event loop)' : 'a fake upstream inside each proxy’s process, on its event loop (--layout shared)'}`,
    );
  try {
    if (parts.includes('slow'))
      out.slow = await slowStreams(
        targets,
        opts.slowStreams ?? 1000,
        opts.slowEvents ?? 400,
        50,
        opts.slowWarmupMs ?? 3_000,
      );
    if (parts.includes('memory')) {
      out.memory = {};
      for (const bytes of [75_000, 373_000])
        out.memory[bytes] = await memoryPerStream(
          targets,
          opts.memoryStreams ?? 500,
          bytes,
          opts.memoryReadings ?? 5,
          bodyOfKb(opts.memoryBodyKb ?? 0),
        );
    }
  } finally {
    for (const t of targets) await t.server.stop();
    await upstream?.stop();
  }
  // Its own script (bodies.mjs), which prints its own summary lines.
  if (parts.includes('bodies')) out.bodies = await runBodiesBench();
  const lines = [];
  if (out.slow) {
    const { raw, shimmy } = out.slow;
    lines.push(
      `slow streams: Shimmy completed ${shimmy.completed} (raw ${raw.completed}); first-byte p99 ${(shimmy.firstP99Ms / raw.firstP99Ms).toFixed(2)}× raw's (target ≤ 2×); event-loop CPU per event ${shimmy.cpuPerEventMicros.toFixed(1)} vs ${raw.cpuPerEventMicros.toFixed(1)} µs (${(shimmy.cpuPerEventMicros / raw.cpuPerEventMicros).toFixed(2)}×); memory per open stream midway ${shimmy.perOpenStreamKb.toFixed(1)} vs ${raw.perOpenStreamKb.toFixed(1)} kB (target ≤ 2×)`,
    );
  }
  if (out.memory)
    for (const [bytes, r] of Object.entries(out.memory))
      lines.push(
        `memory per open stream, ${Math.round(bytes / 1000)} kB answer: Shimmy ${r.shimmy.perStreamKb.toFixed(1)} kB vs raw ${r.raw.perStreamKb.toFixed(1)} kB = ${(r.shimmy.perStreamKb / r.raw.perStreamKb).toFixed(2)}× (target ≤ 2×); at arrival ${r.shimmy.atArrivalPerStreamKb.toFixed(1)} vs ${r.raw.atArrivalPerStreamKb.toFixed(1)} kB; control (none open) ±${Math.max(Math.abs(r.shimmy.controlPerStreamKb), Math.abs(r.raw.controlPerStreamKb)).toFixed(1)} kB`,
      );
  for (const l of lines) console.log(l);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string', default: 'slow,memory,bodies' },
      'slow-streams': { type: 'string', default: '1000' },
      // Content events per slow stream, one every 50 ms (400: 20 s; fewer for a shorter A/B run).
      'slow-events': { type: 'string', default: '400' },
      // split: the fake upstream in its own child, as a real provider is (the default); shared:
      // inside each proxy's child, on the proxy's event loop (the layout of runs before 2026-11-28).
      layout: { type: 'string', default: 'split' },
      // Streams held open at once by the memory part (500: 200 could not resolve a 373 kB answer's
      // figure from the reading's own swing), and the GC'd readings each figure is the median of.
      'memory-streams': { type: 'string', default: '500' },
      'memory-readings': { type: 'string', default: '5' },
      // Each memory stream's request in kB (0: a one-line question): an agent sends 100 kB+.
      'memory-body-kb': { type: 'string', default: '0' },
      // Short streams served, unmeasured, before the slow burst (0: the burst meets a cold process).
      'slow-warmup': { type: 'string', default: '3000' },
      // CPU-profile the Shimmy child of the slow and memory parts into this .cpuprofile file (and the
      // raw pass-through's into FILE.raw.cpuprofile).
      profile: { type: 'string' },
    },
  });
  await runStreamsBench({
    parts: values.parts.split(','),
    slowStreams: Number(values['slow-streams']),
    slowEvents: Number(values['slow-events']),
    layout: values.layout === 'shared' ? 'shared' : 'split',
    memoryStreams: Number(values['memory-streams']),
    memoryReadings: Number(values['memory-readings']),
    memoryBodyKb: Number(values['memory-body-kb']),
    slowWarmupMs: Number(values['slow-warmup']),
    profile: values.profile,
  });
}
