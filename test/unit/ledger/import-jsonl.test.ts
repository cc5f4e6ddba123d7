// A data dir of the JSONL version opens on the SQL ledger: history imported, totals to the cent,
// the old folder kept (renamed) only after the import is verified. The fixture is written by hand
// in that version's format: day files of JSON lines and rollups.json (version 1: per day × tool ×
// model [requests, input, cachedInput, cacheWrite, output, reasoning, costUsd, unpriced, savedUsd],
// plus how many bytes of each day file those roll-ups already count).
import { readdir, readFile } from 'node:fs/promises';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { describeEngines, opener, record, tempDir } from './helpers.js';

const line = (r: LedgerRecord) => `${JSON.stringify(r)}\n`;

describeEngines('importing a JSONL ledger', (kind) => {
  const open = opener(kind);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  async function writeOldLedger(): Promise<string> {
    const old = join(dir, 'ledger');
    await mkdir(old);
    const day1 = [1, 2, 3].map((i) =>
      line(record({ id: `r${i}`, time: `2024-05-01T1${i}:00:00.000Z`, costUsd: 0.1 })),
    );
    await writeFile(join(old, '2024-05-01.jsonl'), day1.join(''));
    const counted2 = [4, 5].map((i) =>
      line(record({ id: `r${i}`, time: `2024-05-02T1${i}:00:00.000Z`, costUsd: 0.2 })),
    );
    const tail2 = [
      line(record({ id: 'r6', time: '2024-05-02T16:00:00.000Z', costUsd: 0.3, user: 'ann', project: 'web' })),
      'garbage that is not JSON\n',
      line(record({ id: 'r7', time: '2024-05-02T17:00:00.000Z', costUsd: null, model: 'mystery' })),
      '{"id":"torn","time":"2024-05-02T18:0', // a crash mid-write
    ];
    await writeFile(join(old, '2024-05-02.jsonl'), [...counted2, ...tail2].join(''));
    const snapshot = {
      version: 1,
      counted: {
        '2024-05-01.jsonl': Buffer.byteLength(day1.join('')),
        '2024-05-02.jsonl': Buffer.byteLength(counted2.join('')),
      },
      rollups: [
        // April's detail was already pruned: only its roll-up remains, and it must still count.
        ['2024-04-01', 'aider', 'gpt-4o', 10, 10000, 0, 0, 5000, 0, 1.5, 0, 0],
        ['2024-05-01', 'aider', 'gpt-4o-mini', 3, 3000, 600, 0, 1500, 0, 0.3, 0, 0],
        ['2024-05-02', 'aider', 'gpt-4o-mini', 2, 2000, 400, 0, 1000, 0, 0.4, 0, 0],
      ],
    };
    await writeFile(join(old, 'rollups.json'), JSON.stringify(snapshot));
    return old;
  }

  it('imports detail and roll-ups, matches totals to the cent, then sets the folder aside', async () => {
    const old = await writeOldLedger();
    const before = await readFile(join(old, '2024-05-02.jsonl'), 'utf8');
    const errors: string[] = [];
    const l = await open(dir, { importDir: old, onError: (e) => errors.push(e.message) });
    // 10 (April roll-up) + 3 + 2 counted + r6 + r7 from the tail; $1.5 + 0.3 + 0.4 + 0.3; r7 unpriced.
    expect(l.totals({})).toMatchObject({ requests: 17, costUsd: 2.5, unpriced: 1 });
    expect(l.totals({ month: '2024-05' })).toMatchObject({ requests: 7, costUsd: 1, unpriced: 1 });
    expect(l.totals({ day: '2024-04-01' }).costUsd).toBe(1.5);
    expect((await l.query({})).records.map((r) => r.id)).toEqual(['r7', 'r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    expect(await l.get('r6')).toEqual(
      record({ id: 'r6', time: '2024-05-02T16:00:00.000Z', costUsd: 0.3, user: 'ann', project: 'web' }),
    );
    // Costliest first: the six without a project cost 3 × $0.10 + 2 × $0.20 = $0.70 (r7 unpriced), r6 in "web" $0.30.
    expect((await l.usage({ by: ['project'] })).map((r) => [r.project, r.requests, r.costUsd])).toEqual([
      [undefined, 6, 0.7],
      ['web', 1, 0.3],
    ]);
    expect(errors).toEqual(['ledger segment 2024-05-02.jsonl: 1 damaged line(s) not imported']);
    await l.close();

    // Kept, renamed, not deleted (the torn last line was cut off, as the old version did on open).
    const names = await readdir(dir);
    expect(names).toContain('ledger.imported');
    expect(names).not.toContain('ledger');
    expect(await readFile(join(dir, 'ledger.imported', '2024-05-02.jsonl'), 'utf8')).toBe(
      before.slice(0, before.lastIndexOf('\n') + 1),
    );

    // A second start imports nothing again.
    const again = await open(dir, { importDir: old });
    expect(again.totals({})).toMatchObject({ requests: 17, costUsd: 2.5 });
    expect((await again.query({})).records).toHaveLength(7);
    await again.close();
  });

  it('adds many small costs from the old files without drift', async () => {
    const old = join(dir, 'ledger');
    await mkdir(old);
    const lines = Array.from({ length: 1000 }, (_, i) =>
      line(record({ id: `c${i}`, time: '2024-05-03T10:00:00.000Z', costUsd: 0.1 })),
    );
    await writeFile(join(old, '2024-05-03.jsonl'), lines.join(''));
    const l = await open(dir, { importDir: old });
    expect(l.totals({ day: '2024-05-03' })).toMatchObject({ requests: 1000, costUsd: 100 });
    await l.close();
  });
});
