// `shimmy logs --since/--until` and `shimmy export` as child processes of the compiled CLI, against
// a real `shimmy serve` whose ledger was filled beforehand with records at known times.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../shared/ledger.js';
import { openLedger } from '../../main/core/ledger/index.js';
import { openSqlite } from '../../main/core/store/index.js';
import { cliEnv, freePort, runCli, startServe, type ServeProcess } from '../support/cli-process.js';
import { record } from '../unit/ledger/helpers.js';

const DAY = 86_400_000;
// Recent, so the instance's retention (30 days by default) keeps them.
const base = Math.floor(Date.now() / DAY) * DAY - 5 * DAY;
const at = (days: number) => new Date(base + days * DAY + 12 * 3_600_000).toISOString();
const dayOf = (days: number) => new Date(base + days * DAY).toISOString().slice(0, 10);

const rec = (id: string, days: number, tool = 'aider'): LedgerRecord =>
  record({
    id,
    time: at(days),
    tool,
    usage: {
      inputTokens: 1000,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 500,
      reasoningTokens: 0,
    },
    // gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output (openai.com/api/pricing, 2025-06):
    // 1000 × 0.15e-6 + 500 × 0.60e-6 = 0.00015 + 0.0003 = 0.00045
    costUsd: 0.00045,
  });

let dataDir: string;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
const slow = { timeout: 90_000 };
const shimmy = (args: string[]) => runCli([...args, '--data-dir', dataDir], { env });
const idsOfJsonl = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { id: string }).id);

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-cli-export-'));
  const ledger = await openLedger({
    engine: await openSqlite(path.join(dataDir, 'ledger.sqlite')),
    timeZone: () => 'UTC',
    retentionDays: () => 30,
  });
  for (const [id, d] of [
    ['r0', 0],
    ['r1', 1],
    ['r3', 3],
  ] as const)
    ledger.append(rec(id, d));
  // r2: cline's request refused upstream with a 429 — no tokens, nothing charged.
  ledger.append({
    ...rec('r2', 2, 'cline'),
    status: 429,
    errorClass: 'rate_limit',
    usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    costUsd: 0,
  });
  await ledger.close();
  env = cliEnv().env;
  serve = await startServe({ port: await freePort(), dataDir, env });
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

describe('shimmy logs --since / --until', slow, () => {
  it('keeps the records from since (inclusive) to until (exclusive), in every format', async () => {
    const json = await shimmy(['logs', '--since', dayOf(1), '--until', dayOf(3), '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id)).toEqual(['r2', 'r1']);
    const jsonl = await shimmy(['logs', '--since', at(1), '--format', 'jsonl']);
    expect(idsOfJsonl(jsonl.stdout)).toEqual(['r3', 'r2', 'r1']);
    const table = await shimmy(['logs', '--until', dayOf(1)]);
    expect(table.stdout).toMatch(/aider/);
    expect(table.stdout.trim().split('\n')).toHaveLength(2); // header + r0
  });

  it('filters by status class (ok / error) in the table and in the CSV/JSONL formats alike', async () => {
    const csv = await shimmy(['logs', '--status', 'ok', '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(
      csv.stdout
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['r3', 'r1', 'r0']);
    const jsonl = await shimmy(['logs', '--status', 'error', '--format', 'jsonl']);
    expect(idsOfJsonl(jsonl.stdout)).toEqual(['r2']);
    const json = await shimmy(['logs', '--status', 'error', '--json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id)).toEqual(['r2']);
    const exp = await shimmy(['export', '--status', 'error']);
    expect(exp.code, exp.stderr).toBe(0);
    expect(
      exp.stdout
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['r2']);
    const bad = await shimmy(['logs', '--status', 'fine', '--format', 'csv']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not a status filter/);
  });

  it("refuses a date that is not one, with the API's message", async () => {
    for (const args of [
      ['logs', '--since', 'last tuesday'],
      ['logs', '--until', 'soon', '--format', 'csv'],
    ]) {
      const r = await shimmy(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/is not a date/);
    }
  });
});

describe('shimmy export', slow, () => {
  it('writes CSV to stdout: the header, then every record in range, newest first', async () => {
    const r = await shimmy(['export', '--since', dayOf(1)]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,time,tool,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['r3', 'r2', 'r1']);
    expect(lines[1]).toContain(',0.00045,');
  });

  it('writes JSONL to --out, filtered by tool and range; nothing left beside it', async () => {
    const out = path.join(dataDir, 'out', 'export.jsonl');
    await fs.mkdir(path.dirname(out));
    const r = await shimmy([
      'export',
      '--format',
      'jsonl',
      '--tool',
      'aider',
      '--until',
      dayOf(3),
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(idsOfJsonl(await fs.readFile(out, 'utf8'))).toEqual(['r1', 'r0']);
    expect(await fs.readdir(path.dirname(out))).toEqual(['export.jsonl']);
  });

  it('refuses a bad date or format without writing a file', async () => {
    const out = path.join(dataDir, 'never.csv');
    const bad = await shimmy(['export', '--since', '2024-13-45', '--out', out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/export failed: .*is not a date/);
    const fmt = await shimmy(['export', '--format', 'xml']);
    expect(fmt.code).not.toBe(0);
    expect(fmt.stderr).toMatch(/--format takes csv or jsonl/);
    await expect(fs.stat(out)).rejects.toThrow();
    await expect(fs.stat(`${out}.part`)).rejects.toThrow();
  });
});
