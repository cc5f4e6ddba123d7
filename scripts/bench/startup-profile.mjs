// Where `serve`'s start-up CPU goes (issue 16): spawns `shimmy serve` under `--cpu-prof` (sampling
// every 100 µs) up to its first proxied 200 (a tool with a USD budget), stops it, and prints the
// main thread's self time by function and by source file, up to the moment that 200 arrived (the
// samples after it are dropped: the profile's timestamps and process.hrtime share Linux's monotonic clock).
// `node scripts/bench/startup-profile.mjs [--root DIR] [--saved-catalog] [--top N] [--keep DIR]`
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeUpstream } from './fake-upstream.mjs';
import { freePort, prepareDataDir, stop, timeToFirst200, withSavedCatalog } from './startup.mjs';
import { inclusiveTimes, selfTimes } from './top-self-time.mjs';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: join(import.meta.dirname, '../..') },
    'saved-catalog': { type: 'boolean' },
    top: { type: 'string', default: '40' },
    keep: { type: 'string' },
    spawns: { type: 'string', default: '1' },
  },
});
const bin = join(values.root, 'bin/shimmy.js');
const upstream = await startFakeUpstream();
const env = { ...process.env, SHIMMY_KEY_OPENAI: 'sk-bench', SHIMMY_PRICE_REFRESH: 'off' };
delete env.SHIMMY_DATA_DIR;
const prepared = await prepareDataDir(bin, env, upstream.url);
const dataDir = values['saved-catalog']
  ? await withSavedCatalog(prepared.dataDir, values.root)
  : prepared.dataDir;
const profDir = values.keep ?? (await mkdtemp(join(tmpdir(), 'shimmy-prof-')));
try {
  // One unprofiled start first: the code cache is then warm, as on every start but the first.
  const warm = await freePort();
  await stop(
    (
      await timeToFirst200(
        [bin, 'serve', '--port', String(warm), '--data-dir', dataDir],
        warm,
        prepared.token,
        env,
      )
    ).child,
  );
  let firstAt = Infinity;
  for (let i = 0; i < Number(values.spawns); i++) {
    const port = await freePort();
    const r = await timeToFirst200(
      [
        '--cpu-prof',
        '--cpu-prof-interval',
        '100',
        '--cpu-prof-dir',
        profDir,
        bin,
        'serve',
        '--port',
        String(port),
        '--data-dir',
        dataDir,
      ],
      port,
      prepared.token,
      env,
    );
    firstAt = r.at;
    await stop(r.child);
    console.log(`first 200 after ${r.ms.toFixed(0)} ms, CPU ${r.cpu} ms (all threads; profiled)`);
  }
  const files = (await readdir(profDir)).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    const profile = untilFirst200(JSON.parse(await readFile(join(profDir, f), 'utf8')), firstAt);
    // The main thread's profile is the one with the most samples; worker threads have their own.
    const total = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
    const top = selfTimes(profile).filter((r) => r.name !== '(idle)');
    const busy = top.reduce((a, r) => a + r.ms, 0);
    console.log(`\n${f}: ${total.toFixed(0)} ms profiled, ${busy.toFixed(0)} ms not idle`);
    for (const r of top.slice(0, Number(values.top)))
      console.log(`${r.ms.toFixed(1).padStart(8)} ms  ${r.name}  ${r.where}`);
    const byFile = new Map();
    for (const r of top) {
      const file = r.where.replace(/:\d+$/, '');
      byFile.set(file, (byFile.get(file) ?? 0) + r.ms);
    }
    console.log('  by file:');
    for (const [file, ms] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${ms.toFixed(1).padStart(8)} ms  ${file || '(native/gc/program)'}`);
    console.log('  inclusive (ours):');
    for (const r of inclusiveTimes(profile, (k) => /main\/|shared\//.test(k)).slice(0, 40))
      console.log(`${r.ms.toFixed(1).padStart(8)} ms  ${r.key}`);
  }
} finally {
  if (!values.keep) await rm(profDir, { recursive: true, force: true });
  await rm(prepared.dataDir, { recursive: true, force: true });
  if (dataDir !== prepared.dataDir) await rm(dataDir, { recursive: true, force: true });
  upstream.server.closeAllConnections();
  upstream.server.close();
}

/** The profile cut at `at` (µs, monotonic): only what ran before the first 200 arrived. With
 *  several spawns, only the last spawn's profiles are cut right (the others are left whole). */
function untilFirst200(profile, at) {
  let t = profile.startTime;
  let n = 0;
  while (n < profile.timeDeltas.length && t + profile.timeDeltas[n] <= at) t += profile.timeDeltas[n++];
  if (n === 0) return profile; // a profile that started after `at`: another spawn's
  return {
    ...profile,
    samples: profile.samples.slice(0, n),
    timeDeltas: profile.timeDeltas.slice(0, n),
    endTime: t,
  };
}
