import { appendFile, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { open, record, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const opened: Ledger[] = [];
const track = async (p: Promise<Ledger>) => {
  const l = await p;
  opened.push(l);
  return l;
};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
  await cleanup();
});

describe('totals', () => {
  it('sums cost, tokens, unpriced and saved per tool, day and month, visible before any flush', async () => {
    const l = await track(open(dir));
    l.append(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
    l.append(record({ id: 'b', time: '2024-05-01T11:00:00.000Z', model: 'gpt-4o' }));
    l.append(record({ id: 'c', time: '2024-05-01T12:00:00.000Z', costUsd: null, model: 'mystery' }));
    l.append(
      record({
        id: 'd',
        time: '2024-05-02T09:00:00.000Z',
        tool: 'claude-code',
        costUsd: 0.1,
        savedUsd: 0.2,
        cacheHit: true,
      }),
    );
    l.append(record({ id: 'e', time: '2024-06-01T00:00:00.000Z', costUsd: 1 }));

    // Nothing flushed yet: budgets must see spend on the very next request.
    expect(l.totals({ day: '2024-05-01', tool: 'aider' })).toEqual({
      requests: 3,
      costUsd: 0.00087, // two priced × $0.000435; the null-cost one is unpriced, not $0
      unpriced: 1,
      inputTokens: 3000,
      outputTokens: 1500,
      savedUsd: 0,
    });
    expect(l.totals({ month: '2024-05' })).toEqual({
      requests: 4,
      costUsd: 0.10087,
      unpriced: 1,
      inputTokens: 4000,
      outputTokens: 2000,
      savedUsd: 0.2,
    });
    expect(l.totals({ month: '2024-05', tool: 'claude-code' }).costUsd).toBe(0.1);
    expect(l.totals({ day: '2024-05-03' }).requests).toBe(0);
    expect(l.totals({}).costUsd).toBe(1.10087);
  });

  it('adds many small costs without float drift', async () => {
    const l = await track(open(dir));
    for (let i = 0; i < 1000; i++)
      l.append(record({ id: `r${i}`, time: '2024-05-01T10:00:00.000Z', costUsd: 0.1 }));
    // Plain float addition gives 99.9999999999986 here.
    expect(l.totals({ day: '2024-05-01' }).costUsd).toBe(100);
  });

  it('counts a record at 23:30 local on that local day, not the UTC one', async () => {
    const l = await track(open(dir, { timeZone: () => 'America/New_York' }));
    // 04:30Z on 10 March is 23:30 EST on 9 March.
    l.append(record({ id: 'late', time: '2024-03-10T04:30:00.000Z' }));
    // Kolkata is UTC+5:30: 18:45Z on 31 January is 00:15 on 1 February there.
    expect(l.totals({ day: '2024-03-09' }).requests).toBe(1);
    expect(l.totals({ day: '2024-03-10' }).requests).toBe(0);

    const k = await track(open(join(dir, 'k'), { timeZone: () => 'Asia/Kolkata' }));
    k.append(record({ id: 'k1', time: '2024-01-31T18:45:00.000Z' }));
    k.append(record({ id: 'k2', time: '2024-01-31T18:29:59.999Z' }));
    expect(k.totals({ month: '2024-02' }).requests).toBe(1);
    expect(k.totals({ day: '2024-01-31' }).requests).toBe(1);
  });

  it('rejects a record whose time cannot be parsed, counting nothing', async () => {
    const l = await track(open(dir));
    expect(() => l.append(record({ id: 'x', time: 'yesterday' }))).toThrow(/invalid time/);
    expect(l.totals({}).requests).toBe(0);
  });
});

describe('durability', () => {
  it('keeps totals and records across a clean restart', async () => {
    const a = await open(dir);
    a.append(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
    a.append(record({ id: 'b', time: '2024-05-02T10:00:00.000Z', costUsd: null }));
    await a.close();

    const b = await track(open(dir));
    expect(b.totals({ month: '2024-05' })).toMatchObject({ requests: 2, costUsd: 0.000435, unpriced: 1 });
    expect(b.query({}).records.map((r) => r.id)).toEqual(['b', 'a']);
    expect(b.get('a')).toEqual(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
  });

  it('replays only the segment tail after the snapshot: no double counting', async () => {
    const a = await open(dir);
    for (let i = 0; i < 10; i++) a.append(record({ id: `a${i}`, time: '2024-05-01T10:00:00.000Z' }));
    await a.close(); // writes the snapshot
    const snap = JSON.parse(await readFile(join(dir, 'rollups.json'), 'utf8')) as {
      counted: Record<string, number>;
    };
    expect(snap.counted['2024-05-01.jsonl']).toBe((await stat(join(dir, '2024-05-01.jsonl'))).size);

    const b = await open(dir);
    for (let i = 0; i < 5; i++) b.append(record({ id: `b${i}`, time: '2024-05-01T11:00:00.000Z' }));
    await b.flush(); // on disk, but no new snapshot: as if the process died now

    const c = await track(open(dir));
    expect(c.totals({ day: '2024-05-01' })).toMatchObject({ requests: 15, costUsd: 0.006525 });
    await b.close();
  });

  it('ignores a torn last line and keeps every earlier record', async () => {
    const a = await open(dir);
    for (let i = 0; i < 3; i++) a.append(record({ id: `r${i}`, time: '2024-05-01T10:00:00.000Z' }));
    await a.close();
    const file = join(dir, '2024-05-01.jsonl');
    const goodSize = (await stat(file)).size;
    await appendFile(file, '{"id":"torn","time":"2024-05-01T10:0');

    const b = await open(dir);
    expect((await stat(file)).size).toBe(goodSize);
    expect(b.query({}).records.map((r) => r.id)).toEqual(['r2', 'r1', 'r0']);
    expect(b.totals({ day: '2024-05-01' }).requests).toBe(3);
    b.append(record({ id: 'r3', time: '2024-05-01T10:00:00.000Z' }));
    await b.close();

    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['r0', 'r1', 'r2', 'r3']);
  });

  it('skips a damaged complete line and reports it, keeping the records around it', async () => {
    const a = await open(dir);
    a.append(record({ id: 'r0', time: '2024-05-01T10:00:00.000Z' }));
    await a.flush();
    await appendFile(join(dir, '2024-05-01.jsonl'), '\u0000\u0000garbage\n');
    await a.close();
    // Remove the snapshot so the whole segment is replayed.
    await rm(join(dir, 'rollups.json'));

    const errors: Error[] = [];
    const b = await track(open(dir, { onError: (e) => errors.push(e) }));
    b.append(record({ id: 'r1', time: '2024-05-01T11:00:00.000Z' }));
    await b.flush();
    expect(errors.map((e) => e.message)).toEqual([
      'ledger segment 2024-05-01.jsonl: 1 damaged line(s) ignored',
    ]);
    expect(b.query({}).records.map((r) => r.id)).toEqual(['r1', 'r0']);
    expect(b.totals({}).requests).toBe(2);
  });

  it('sets a corrupt snapshot aside and rebuilds roll-ups from the segments', async () => {
    const a = await open(dir);
    a.append(record({ id: 'r0', time: '2024-05-01T10:00:00.000Z', costUsd: 0.25 }));
    await a.close();
    await writeFile(join(dir, 'rollups.json'), '{"version":1,"coun');

    const errors: Error[] = [];
    const b = await track(open(dir, { onError: (e) => errors.push(e) }));
    expect(b.totals({}).costUsd).toBe(0.25);
    expect(errors).toHaveLength(1);
    expect((await readdir(dir)).some((n) => n.startsWith('rollups.json.corrupt-'))).toBe(true);
  });

  it('flush resolves only once the lines are in the file', async () => {
    const l = await track(open(dir));
    l.append(record({ id: 'x', time: '2024-05-01T10:00:00.000Z' }));
    await l.flush();
    const text = await readFile(join(dir, '2024-05-01.jsonl'), 'utf8');
    expect(text.startsWith('{"id":"x",')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
  });
});
