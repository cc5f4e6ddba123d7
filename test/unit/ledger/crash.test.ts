// A real crash: a child node process appends through the compiled ledger and is SIGKILLed mid-load.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { roundUsd } from '../../../shared/money.js';
import { open, tempDir } from './helpers.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const compiled = join(repo, 'dist/main/core/ledger/index.js');

function newestSourceMtime(): number {
  const dirs = ['main/core/ledger', 'main/core/clock', 'shared'];
  return Math.max(
    ...dirs.flatMap((d) =>
      readdirSync(join(repo, d))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => statSync(join(repo, d, f)).mtimeMs),
    ),
  );
}

function distIsFresh(): boolean {
  if (!existsSync(compiled)) return false;
  const built = readdirSync(dirname(compiled))
    .filter((f) => f.endsWith('.js'))
    .map((f) => statSync(join(dirname(compiled), f)).mtimeMs);
  return Math.min(...built) >= newestSourceMtime();
}

beforeAll(() => {
  if (distIsFresh()) return;
  try {
    execFileSync(
      process.execPath,
      [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.main.json'],
      {
        cwd: repo,
        stdio: 'pipe',
      },
    );
  } catch {
    // Type errors elsewhere in the repo still emit our files; freshness is checked next.
  }
  if (!distIsFresh()) throw new Error(`could not build ${compiled}`);
}, 120_000);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const COST = 0.000435;
const CHILD = `
import { openLedger } from ${JSON.stringify(pathToFileURL(compiled).href)};
const ledger = await openLedger({ dir: process.argv[2], timeZone: () => 'UTC', retentionDays: () => 30 });
for (let i = 0; ; i++) {
  ledger.append({
    id: 'r' + i, time: '2024-05-01T10:00:00.000Z', tool: 'aider', provider: 'openai', model: 'gpt-4o-mini',
    family: 'openai', endpoint: 'chat', path: '/v1/chat/completions', status: 200, latencyMs: 1, ttfbMs: null,
    streamed: false, usage: { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
    costUsd: ${COST}, estimated: false, cacheHit: false, errorClass: null, user: 'x'.repeat(i % 700),
  });
  if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  // Not awaited: appends keep coming while batches are being written, as under real traffic.
  if (i % 1000 === 999) { const n = i + 1; void ledger.flush().then(() => process.stdout.write('durable ' + n + '\\n')); }
}
`;

it('survives SIGKILL mid-load: every line valid, no gaps, totals match the file', async () => {
  const script = join(dir, 'child.mjs');
  await writeFile(script, CHILD);
  const ledgerDir = join(dir, 'ledger');
  const child = spawn(process.execPath, [script, ledgerDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let durable = 0;
  let killAt: NodeJS.Timeout | undefined;
  // Past 25k records the child has written at least two roll-up snapshots (every 10k lines).
  await new Promise<void>((resolveKill, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      for (const m of c.toString().matchAll(/durable (\d+)/g)) durable = Math.max(durable, Number(m[1]));
      if (durable >= 25_000 && !killAt) killAt = setTimeout(() => child.kill('SIGKILL') && resolveKill(), 5);
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}): ${stderr}`));
    });
  });
  await new Promise((r) => child.once('close', r));

  const ledger = await open(ledgerDir);
  const text = await readFile(join(ledgerDir, '2024-05-01.jsonl'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const ids = text
    .slice(0, -1)
    .split('\n')
    .map((l) => (JSON.parse(l) as { id: string }).id);
  const n = ids.length;
  expect(n).toBeGreaterThanOrEqual(durable);
  expect(ids).toEqual(Array.from({ length: n }, (_, i) => `r${i}`));
  expect(ledger.totals({ day: '2024-05-01' })).toMatchObject({
    requests: n,
    costUsd: roundUsd(n * COST),
    inputTokens: n * 10,
  });
  expect(ledger.query({ limit: 1 }).records[0]?.id).toBe(`r${n - 1}`);
  await ledger.close();
});
