// The export formats on the proxy's event loop (JSONL always, CSV on Postgres): it must hand the
// loop back in short slices of time, not after a fixed count of records that may each be slow.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeRecords } from '../../../main/core/ledger/export.js';
import { record } from './helpers.js';

describe('writeRecords', () => {
  it('gives the event loop turns while formatting records that are slow to format', async () => {
    // 40 records of ~1 MB each (a long error detail in a newer field): each takes a millisecond or
    // more to format, so a slice bounded by count (100 records) held the loop for all of them.
    const big = 'x'.repeat(1 << 20);
    const records = Array.from({ length: 40 }, (_, i) =>
      Object.assign(record({ id: `r${i}`, time: new Date(Date.UTC(2024, 4, 1, 0, i)).toISOString() }), {
        detail: big,
      }),
    );
    let bytes = 0;
    const out = new Writable({
      highWaterMark: 1 << 30, // never backpressure: any turn the loop gets is the export's own yield
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    });
    let turns = 0;
    let done = false;
    const probe = () => {
      if (done) return;
      turns++;
      setImmediate(probe);
    };
    setImmediate(probe);
    await writeRecords('jsonl', records, out);
    done = true;
    expect(bytes).toBeGreaterThan(40 << 20);
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
