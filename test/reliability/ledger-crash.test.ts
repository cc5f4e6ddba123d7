// What a kill -9 can lose: a child appends through the compiled ledger (SQLite) and announces each
// record as "answered" right after append() — as the proxy settles after a client's last byte —
// and is SIGKILLed mid-load, several times. Records are committed (on the write worker)
// WRITE_DELAY_MS (1 ms) after the first one queued, so what was answered in that last millisecond
// (later when timers run late on a loaded machine) can be lost; this child appends far faster than
// a proxy answers, so it also meets the write queue's backlog bound (MAX_BACKLOG records behind a
// batch still committing, then it waits); everything kept is whole, gap-free and counted exactly. The figures
// (answered vs kept per kill) are printed. Disk full: on a small tmpfs (root only), writes
// fail → health() refuses, nothing answered is dropped, and a restart on the full disk works.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger/index.js';
import { openSqlite } from '../../main/core/store/index.js';
import { roundUsd } from '../../shared/money.js';
import { record, tempDir } from '../unit/ledger/helpers.js';

const repo = resolve(import.meta.dirname, '../..');
const dist = (p: string) => pathToFileURL(join(repo, 'dist/main/core', p)).href;

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/main/core/store/index.js')))
    throw new Error('run `npm run build:core` first (npm test does)');
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const CHILD = `
import { openLedger } from ${JSON.stringify(dist('ledger/index.js'))};
import { openSqlite } from ${JSON.stringify(dist('store/index.js'))};
const [file, from] = [process.argv[2], Number(process.argv[3])];
const ledger = await openLedger({ engine: await openSqlite(file), timeZone: () => 'UTC', retentionDays: () => 30 });
let out = '';
for (let i = from; ; i++) {
  ledger.append({
    id: 'r' + i, time: '2024-05-01T10:00:00.000Z', tool: 'aider', provider: 'openai', model: 'gpt-4o-mini',
    family: 'openai', endpoint: 'chat', path: '/v1/chat/completions', status: 200, latencyMs: 1, ttfbMs: null,
    streamed: false, usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
    costUsd: 0.000435, estimated: false, cacheHit: false, errorClass: null,
  });
  out += 'answered ' + i + '\\n';
  // Like a proxy under load: a turn every few requests, in which batches get committed.
  if (i % 20 === 19) { process.stdout.write(out + 'at ' + i + ' ' + performance.now().toFixed(3) + '\\n'); out = ''; await new Promise((r) => setImmediate(r)); }
}
`;

/** The child's clock at each "answered up to i" mark. */
type Marks = Array<{ upTo: number; ms: number }>;

async function runAndKill(
  script: string,
  file: string,
  from: number,
): Promise<{ answered: number; marks: Marks }> {
  const marks: Marks = [];
  const child = spawn(process.execPath, [script, file, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let answered = from - 1;
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise<void>((done, fail) => {
    let killAt: NodeJS.Timeout | undefined;
    child.stdout.on('data', (c: Buffer) => {
      for (const m of c.toString().matchAll(/answered (\d+)/g)) answered = Math.max(answered, Number(m[1]));
      for (const m of c.toString().matchAll(/at (\d+) ([\d.]+)/g))
        marks.push({ upTo: Number(m[1]), ms: Number(m[2]) });
      // Kill at a random moment once a few thousand are through.
      killAt ??= setTimeout(() => child.kill('SIGKILL'), 300 + Math.random() * 700);
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`child exited ${code}: ${stderr}`)),
    );
  });
  return { answered, marks };
}

it('kill -9 under load, 3 times: what is kept is whole and exact; the loss is the last millisecond', async () => {
  const script = join(dir, 'child.mjs');
  await writeFile(script, CHILD);
  const file = join(dir, 'ledger.sqlite');
  const figures: string[] = [];
  let next = 0;
  for (let k = 0; k < 3; k++) {
    const { answered, marks } = await runAndKill(script, file, next);
    const l = await openLedger({
      engine: await openSqlite(file),
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    const kept = l.totals({}).requests;
    // Every id up to the last one the child announced is in the database.
    const newest = (await l.query({ limit: 1 })).records[0]?.id;
    const lost = Math.max(0, answered + 1 - kept);
    // How long before the child's last mark the first lost record was answered (at most): the
    // time since the last mark it was not yet answered at.
    const last = marks.at(-1)?.ms ?? 0;
    const before = marks.filter((m) => m.upTo < kept).at(-1)?.ms ?? last;
    const windowMs = lost === 0 ? 0 : last - before;
    figures.push(
      `kill ${k + 1}: answered ${answered + 1}, kept ${kept}, lost ${lost} (answered in the last ${windowMs.toFixed(1)} ms)`,
    );
    // Gap-free: the newest kept record is number kept-1, and the spend is exactly kept × cost.
    expect(newest).toBe(`r${kept - 1}`);
    expect(l.totals({}).costUsd).toBe(roundUsd(kept * 0.000435));
    // Bounded: only the last batch window's worth (1 ms; a few hundred under heavy load).
    expect(lost).toBeLessThan(1000);
    next = kept;
    await l.close();
  }
  console.log(`ledger kill -9 figures: ${figures.join('; ')}`);
}, 120_000);

const asRoot = process.getuid?.() === 0;
describe.skipIf(!asRoot)('disk full (a 1 MiB tmpfs; needs root to mount — skipped otherwise)', () => {
  it('refuses through health() instead of going unrecorded, keeps what was answered, starts on a full disk', async () => {
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    try {
      const file = join(mnt, 'ledger.sqlite');
      const errors: Error[] = [];
      const l = await openLedger({
        engine: await openSqlite(file),
        timeZone: () => 'UTC',
        retentionDays: () => 30,
        onError: (e) => errors.push(e),
      });
      expect(l.health()).toEqual({ ok: true });
      let appended = 0;
      for (; appended < 50_000 && l.health().ok; appended++) {
        l.append(record({ id: `d${appended}`, time: '2024-05-01T10:00:00.000Z', user: 'x'.repeat(200) }));
        if (appended % 100 === 99) await new Promise((r) => setTimeout(r, 2));
      }
      const health = l.health();
      expect(health.ok).toBe(false);
      expect(!health.ok && health.message).toMatch(/full/i);
      // Counted in memory all the same (budgets hold), and still queued, not dropped.
      expect(l.totals({}).requests).toBe(appended);
      await expect(l.close()).rejects.toThrow(/full/i);

      // Start-up on the full disk: nothing needs writing, so it opens and answers queries.
      const again = await openLedger({
        engine: await openSqlite(file),
        timeZone: () => 'UTC',
        retentionDays: () => 30,
      });
      expect(again.health()).toEqual({ ok: true });
      const kept = again.totals({}).requests;
      expect(kept).toBeGreaterThan(0);
      expect((await again.query({ limit: 1 })).records).toHaveLength(1);
      console.log(
        `disk full: ${appended} appended before the first failed write, ${kept} on disk; the rest were refused-in-waiting`,
      );
      await again.close().catch(() => undefined);
    } finally {
      execFileSync('umount', ['-l', mnt]);
    }
  }, 120_000);
});
