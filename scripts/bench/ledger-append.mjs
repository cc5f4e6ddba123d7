// What the ledger costs the proxy's thread per request, in one process: the journal entry at admit
// (ledger.reserve), the record at settle (ledger.append: toRow, the in-memory roll-ups), and the
// batches handed to the SQLite write worker — at the c=32 bench's pace (32 requests per event-loop
// turn) and at c=1's (one per turn). Main-thread CPU only (/proc/self/task/<pid>/schedstat: the
// write worker's commits run on another core). `node scripts/bench/ledger-append.mjs [--dist DIR]
// [--rounds N] [--requests N] [--stub]` (DIR: a compiled core's dist/, default this checkout's). Linux only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: join(import.meta.dirname, '../../dist') },
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '10000' },
    // Between two turns of 32: the c=32 bench's pace (~32 answers per 5 ms), so the write worker
    // keeps up as it does under the proxy (flat out, appends wait for it: MAX_BACKLOG).
    'pace-ms': { type: 'string', default: '5' },
    per: { type: 'string', default: '32,1' },
    // The same loop with a ledger that does nothing: what the harness itself costs, to subtract.
    stub: { type: 'boolean', default: false },
  },
});
const core = (p) => import(pathToFileURL(resolve(args.dist, 'main/core', p)).href);
const { openSqlite } = await core('store/index.js');
const { openLedger } = await core('ledger/open-ledger.js');

const schedstat = `/proc/self/task/${process.pid}/schedstat`;
/** This thread's CPU time, ns. */
const threadNs = () => Number(readFileSync(schedstat, 'utf8').split(' ', 1)[0]);
const turn = () => new Promise((r) => setImmediate(r));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const paceMs = Number(args['pace-ms']);

const dir = mkdtempSync(join(tmpdir(), 'shimmy-append-'));
const ledger = args.stub
  ? { reserve() {}, append() {}, flush: async () => {}, close: async () => {} }
  : await openLedger({
      engine: await openSqlite(join(dir, 'ledger.sqlite')),
      timeZone: () => '',
      retentionDays: () => 0,
    });

// The bench's request as the proxy records it (streamed gpt-4o-mini, usage read in full).
const USAGE = {
  inputTokens: 38,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 64,
  reasoningTokens: 0,
};
let seq = 0;
const hex = (n) => n.toString(16).padStart(12, '0');
function request() {
  const n = seq++;
  const at = new Date(Date.now());
  const id = `0193${hex(n)}-7000-8000-${hex(n)}`;
  const time = at.toISOString();
  return {
    id,
    time,
    journal: {
      id,
      time,
      tool: 'bench',
      record: { provider: 'openai', model: 'gpt-4o-mini', path: '/v1/chat/completions', streamed: true },
      costUsd: 0.0000453,
    },
  };
}
function record(q) {
  return {
    id: q.id,
    time: q.time,
    tool: 'bench',
    provider: 'openai',
    model: 'gpt-4o-mini',
    family: 'openai',
    endpoint: 'chat',
    path: '/v1/chat/completions',
    status: 200,
    latencyMs: 1.73,
    ttfbMs: 0.91,
    streamed: true,
    usage: { ...USAGE },
    costUsd: 0.0000441,
    estimated: false,
    cacheHit: false,
    errorClass: null,
    client: 'openai-node',
  };
}

/** µs of this thread per request, `per` requests admitted and answered per turn. */
async function run(per, total) {
  const before = threadNs();
  for (let done = 0; done < total; done += per) {
    const qs = [];
    for (let i = 0; i < per; i++) {
      const q = request();
      ledger.reserve(q.journal);
      qs.push(q);
    }
    await turn();
    for (const q of qs) ledger.append(record(q));
    if (per > 1) await pause(paceMs);
    else await turn();
  }
  await ledger.flush();
  return (threadNs() - before) / 1000 / total;
}

const total = Number(args.requests);
const pers = args.per.split(',').map(Number);
const out = Object.fromEntries(pers.map((p) => [p, []]));
// c=1's rounds are shorter: one hand-over per request.
const count = (per) => (per === 1 ? total / 4 : total);
try {
  for (const per of pers) await run(per, count(per)); // JIT warm-up
  for (let r = 0; r < Number(args.rounds); r++)
    for (const per of pers) out[per].push(await run(per, count(per)));
} finally {
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const per of pers)
  console.log(
    `${per} per turn: ${med(out[per]).toFixed(2)} µs main-thread CPU per request (rounds: ${out[per].map((x) => x.toFixed(2)).join(', ')})`,
  );
