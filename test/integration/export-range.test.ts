// GET /api/export with since/until (issue 15): only the records in [since, until) go out; a value
// that is not a date is refused with a 400 in the admin API's error shape, before any byte of export.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger/index.js';
import { openSqlite } from '../../main/core/store/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { record } from '../unit/ledger/helpers.js';

/** Noon UTC `n` days ago as an ISO time, and its date: recent, so the start-up's retention keeps it. */
const daysAgo = (n: number) => new Date(Math.floor(Date.now() / 86_400_000 - n) * 86_400_000 + 43_200_000);
const [d1, d2, d3] = [3, 2, 1].map((n) => daysAgo(n).toISOString().slice(0, 10));

describe('export of a time range through the admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    // A data dir whose ledger already holds three days, one record each.
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-export-'));
    const ledger = await openLedger({
      engine: await openSqlite(path.join(dataDir, 'ledger.sqlite')),
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    for (const [id, day] of [
      ['d1', d1],
      ['d2', d2],
      ['d3', d3],
    ])
      ledger.append(record({ id: id!, time: `${day}T12:00:00.000Z` }));
    await ledger.close();
    h = await startHarness({ dataDir, keys: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  const ids = async (query: string) => {
    const res = await h.admin.fetchRaw(`/api/export?${query}`);
    expect(res.status).toBe(200);
    return (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
  };

  it('exports only [since, until): ISO dates or times', async () => {
    expect(await ids('format=jsonl')).toEqual(['d3', 'd2', 'd1']);
    expect(await ids(`format=jsonl&since=${d2}&until=${d3}`)).toEqual(['d2']);
    expect(await ids(`format=jsonl&since=${d2}T12:00:00.000Z`)).toEqual(['d3', 'd2']);
    const csv = await (await h.admin.fetchRaw(`/api/export?format=csv&until=${d2}`)).text();
    expect(
      csv
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['d1']);
  });

  it('refuses a since or until that is not a date with a 400 naming the field', async () => {
    for (const [field, query] of [
      ['since', 'since=yesterday'],
      ['until', 'format=csv&until=2024-13-45x'],
    ] as const) {
      const res = await h.admin.fetchRaw(`/api/export?${query}`);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string; field?: string } };
      expect(body.error.field).toBe(field);
      expect(body.error.message).toMatch(/is not a date/);
    }
  });
});
