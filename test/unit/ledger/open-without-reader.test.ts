// Opening the ledger reads what it needs (roll-ups, search terms, a dead process's reservations)
// without the reader: on SQLite that is a worker thread whose boot (~85 ms) start-up must not
// wait for (issue 16). The reader here fails every query; open, totals and appends still work.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { openLedger } from '../../../main/core/ledger/index.js';
import { describeEngines, openEngine, record, tempDir } from './helpers.js';

describeEngines('opening the ledger without its reader', (kind) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('loads the totals and recovers reservations through the writer alone', async () => {
    const first = await openLedger({
      engine: await openEngine(kind, dir),
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    first.append(record({ id: 'a', time: '2024-05-01T10:00:00.000Z', costUsd: 0.25 }));
    first.reserve({ id: 'b', time: '2024-05-01T11:00:00.000Z', tool: 'aider', costUsd: 0.5 });
    await first.flush();
    // Closed with a reservation still open: the next open records it as interrupted.
    await first.close();

    const refuse: KyselyPlugin = {
      transformQuery: () => {
        throw new Error('the reader was used while opening');
      },
      transformResult: (a) => Promise.resolve(a.result),
    };
    const engine = await openEngine(kind, dir);
    const ledger = await openLedger({
      engine: { ...engine, reader: engine.reader.withPlugin(refuse), close: () => engine.close() },
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    try {
      const day = ledger.totals({ day: '2024-05-01' });
      expect(day.requests).toBe(2);
      expect(day.costUsd).toBe(0.75);
    } finally {
      await ledger.close();
    }
  });
});
