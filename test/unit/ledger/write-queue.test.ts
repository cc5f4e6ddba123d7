// The batched writer, against an engine that only keeps what it is given (passed in, as the
// ledger passes SQLite or Postgres): what each batch asks the database to write.
import { describe, expect, it } from 'vitest';
import { MAX_BACKLOG, WriteQueue } from '../../../main/core/ledger/write-queue.js';
import type { LedgerEngine, WriteBatch } from '../../../main/core/store/ledger-engine.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { sampleRecord, sampleReservation } from '../../../main/core/store/samples.js';

function capturingEngine(): { engine: LedgerEngine; batches: WriteBatch[] } {
  const batches: WriteBatch[] = [];
  const engine = {
    kind: 'sqlite',
    exclusive: true,
    write: (b: WriteBatch) => void batches.push(b),
    sync: async () => undefined,
    close: async () => undefined,
  } as unknown as LedgerEngine;
  return { engine, batches };
}

const reservation = (id: string) => ({ ...sampleReservation, id });
const row = (id: string) => toRow({ ...sampleRecord, id }, '2024-01-01');

describe('write queue: the reservation journal', () => {
  it('writes no journal entry for a reservation settled before its batch commits', async () => {
    const { engine, batches } = capturingEngine();
    const q = new WriteQueue(engine, () => undefined);
    q.addReservation('fast', () => reservation('fast'));
    q.addRecord(row('fast'));
    q.addSettle('fast');
    await q.drain();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.records.map((r) => r.id)).toEqual(['fast']);
    expect(batches[0]!.reserve).toEqual([]);
    expect(batches[0]!.settle).toEqual([]);
  });

  it('builds the journal row only for a reservation still unsettled when its batch commits', async () => {
    const { engine, batches } = capturingEngine();
    const q = new WriteQueue(engine, () => undefined);
    const built: string[] = [];
    const lazy = (id: string) => () => (built.push(id), reservation(id));
    q.addReservation('answered', lazy('answered'));
    q.addReservation('streaming', lazy('streaming'));
    q.addRecord(row('answered'));
    q.addSettle('answered');
    await q.drain();
    expect(built).toEqual(['streaming']);
    expect(batches[0]!.reserve.map((r) => r.id)).toEqual(['streaming']);
  });

  it('keeps the insert of one still in flight and the delete of one committed earlier', async () => {
    const { engine, batches } = capturingEngine();
    const q = new WriteQueue(engine, () => undefined);
    q.addReservation('slow', () => reservation('slow'));
    await q.drain();
    q.addReservation('open', () => reservation('open'));
    q.addReservation('quick', () => reservation('quick'));
    q.addRecord(row('slow'));
    q.addSettle('slow');
    q.addRecord(row('quick'));
    q.addSettle('quick');
    await q.drain();
    expect(batches[0]!.reserve.map((r) => r.id)).toEqual(['slow']);
    expect(batches[1]!.reserve.map((r) => r.id)).toEqual(['open']);
    expect(batches[1]!.settle).toEqual(['slow']);
    expect(batches[1]!.records.map((r) => r.id)).toEqual(['slow', 'quick']);
  });
});

describe('write queue: a writer faster than the database', () => {
  it('waits for the batch in flight once MAX_BACKLOG records queue behind it, not before', async () => {
    let finish: () => void = () => undefined;
    let waits = 0;
    const engine = {
      kind: 'sqlite',
      exclusive: true,
      // The first batch stays in flight until finish(): an engine committing off the thread.
      write: () => new Promise<void>((resolve) => (finish = resolve)),
      waitForWrites: () => void waits++,
      sync: async () => undefined,
      close: async () => undefined,
    } as unknown as LedgerEngine;
    const q = new WriteQueue(engine, () => undefined);
    q.addRecord(row('first'));
    const first = q.drain();
    for (let i = 0; i < MAX_BACKLOG - 1; i++) q.addRecord(row(`r${i}`));
    expect(waits).toBe(0);
    q.addRecord(row('one-too-many'));
    expect(waits).toBe(1);
    finish();
    await first;
    q.stop();
  });
});

describe('write queue: when a batch goes', () => {
  // An engine that commits off the thread and says when it has nothing in flight (SQLite's worker).
  const idleEngine = () => {
    const { engine, batches } = capturingEngine();
    return { engine: { ...engine, idle: () => true } as LedgerEngine, batches };
  };
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('hands a lone request over at the end of its turn, leaving no timer to wake an idle loop', async () => {
    const { engine, batches } = idleEngine();
    const q = new WriteQueue(engine, () => undefined);
    const before = timers();
    q.addReservation('only', () => reservation('only'));
    expect(timers()).toBe(before + 1); // a journal entry alone waits for the write delay
    q.addRecord(row('only'));
    q.addSettle('only');
    expect(timers()).toBe(before);
    await new Promise((r) => setImmediate(r));
    expect(batches.map((b) => b.records.map((r) => r.id))).toEqual([['only']]);
    expect(batches[0]!.reserve).toEqual([]);
    q.stop();
  });
});

describe('write queue: drains waiting for a batch in flight', () => {
  function slowEngine() {
    const batches: WriteBatch[] = [];
    const finishes: Array<() => void> = [];
    const engine = {
      kind: 'sqlite',
      exclusive: true,
      write: (b: WriteBatch) => {
        batches.push(b);
        return new Promise<void>((resolve) => finishes.push(resolve));
      },
      sync: async () => undefined,
      close: async () => undefined,
    } as unknown as LedgerEngine;
    // Settles the oldest commit still open, then lets the queue's continuations run.
    const finish = async () => {
      finishes.shift()!();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { engine, batches, finish };
  }
  const ids = (b: WriteBatch) => b.records.map((r) => r.id);

  it('callers share the one drain that waits, and it takes everything queued by its turn', async () => {
    // Every timer or end-of-turn firing calls drain(): before, each started a drain of its own that
    // waited beside the others, and every commit woke them all (~40 at once at c=1).
    const { engine, batches, finish } = slowEngine();
    const q = new WriteQueue(engine, () => undefined);
    q.addRecord(row('first'));
    const first = q.drain();
    q.addRecord(row('b'));
    const waiting = q.drain();
    q.addRecord(row('c'));
    expect(q.drain()).toBe(waiting);
    await finish();
    expect(batches.map(ids)).toEqual([['first'], ['b', 'c']]);
    // That drain holds its batch now: a record queued after it needs (and gets) a drain of its own.
    q.addRecord(row('d'));
    const later = q.drain();
    expect(later).not.toBe(waiting);
    await finish();
    await Promise.all([first, waiting]);
    await finish();
    await later;
    expect(batches.map(ids)).toEqual([['first'], ['b', 'c'], ['d']]);
    q.stop();
  });

  it('a drain that found nothing in flight is not shared after it took its batch', async () => {
    const { engine, batches, finish } = slowEngine();
    const q = new WriteQueue(engine, () => undefined);
    q.addRecord(row('a'));
    const a = q.drain(); // took its batch at once
    q.addRecord(row('b'));
    const b = q.drain();
    expect(b).not.toBe(a);
    await finish();
    await finish();
    await Promise.all([a, b]);
    expect(batches.map(ids)).toEqual([['a'], ['b']]);
    q.stop();
  });
});
