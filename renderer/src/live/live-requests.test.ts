import { describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { ledgerRecord } from '../test-support/ledger-record.js';
import { initialLiveState, inProgress, liveReducer, type LiveState } from './live-requests.js';

const record = (id: string, time: string, over: Partial<LedgerRecord> = {}): LedgerRecord =>
  ledgerRecord({ id, time, ...over });

const start = (id: string, time: string) =>
  ({
    type: 'event',
    event: {
      type: 'request.start',
      id,
      time,
      tool: 'cli',
      provider: 'openai',
      model: 'gpt-4o-mini',
      endpoint: 'chat',
      streamed: true,
    },
  }) as const;
const end = (r: LedgerRecord) => ({ type: 'event', event: { type: 'request.end', record: r } }) as const;

describe('liveReducer', () => {
  it('shows a request in progress from start until its end, in the same row', () => {
    let s = liveReducer(initialLiveState(), start('a', '2026-11-25T10:00:00.000Z'));
    expect(s.items).toHaveLength(1);
    expect(s.items[0]!.record).toBeUndefined();
    expect(inProgress(s.items)).toBe(1);

    s = liveReducer(s, end(record('a', '2026-11-25T10:00:00.000Z')));
    expect(s.items).toHaveLength(1);
    expect(s.items[0]!.record?.costUsd).toBe(0.000435);
    expect(inProgress(s.items)).toBe(0);
  });

  it('keeps newest first whatever order events arrive in', () => {
    let s: LiveState = initialLiveState();
    s = liveReducer(s, start('late', '2026-11-25T10:00:05.000Z'));
    s = liveReducer(s, end(record('early', '2026-11-25T10:00:01.000Z'))); // end without a seen start
    s = liveReducer(s, start('mid', '2026-11-25T10:00:03.000Z'));
    expect(s.items.map((r) => r.id)).toEqual(['late', 'mid', 'early']);
  });

  it('never turns a finished row back into in-progress on a replayed start', () => {
    let s = liveReducer(initialLiveState(), end(record('a', '2026-11-25T10:00:00.000Z')));
    s = liveReducer(s, start('a', '2026-11-25T10:00:00.000Z'));
    expect(s.items[0]!.record?.id).toBe('a');
  });

  it('caps the list, dropping the oldest', () => {
    let s = initialLiveState(3);
    for (let i = 0; i < 5; i++) s = liveReducer(s, end(record(`r${i}`, `2026-11-25T10:00:0${i}.000Z`)));
    expect(s.items.map((r) => r.id)).toEqual(['r4', 'r3', 'r2']);
  });

  it('merges seeded history with live rows without duplicates', () => {
    let s = liveReducer(initialLiveState(), start('b', '2026-11-25T10:00:02.000Z'));
    s = liveReducer(s, {
      type: 'seed',
      records: [record('b', '2026-11-25T10:00:02.000Z'), record('a', '2026-11-25T10:00:01.000Z')],
    });
    expect(s.items.map((r) => [r.id, Boolean(r.record)])).toEqual([
      ['b', true],
      ['a', true],
    ]);
  });

  it('ignores events that are not about requests', () => {
    const s0 = initialLiveState();
    const s1 = liveReducer(s0, { type: 'event', event: { type: 'spend', todayUsd: 1, monthUsd: 2 } });
    expect(s1).toBe(s0);
  });

  it('keeps the same order as sorting the whole list on every event, for any arrival order', () => {
    // The reducer once upserted then re-sorted all rows per event; it now places each row. Same
    // result, checked against that whole-list sort over a shuffled mix of starts, ends, replays
    // and equal times.
    const timeOf = (t: string) => Date.parse(t);
    const reference = (
      items: Array<{ id: string; time: string; done: boolean }>,
      cap: number,
      next: { id: string; time: string; done: boolean },
    ) => {
      const i = items.findIndex((r) => r.id === next.id);
      let out = items;
      if (i === -1) out = [next, ...items];
      else if (!(items[i]!.done && !next.done)) {
        out = items.slice();
        out[i] = next;
      }
      return [...out].sort((a, b) => timeOf(b.time) - timeOf(a.time)).slice(0, cap);
    };
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const cap of [3, 8, 200]) {
      let s = initialLiveState(cap);
      let ref: Array<{ id: string; time: string; done: boolean }> = [];
      for (let n = 0; n < 400; n++) {
        const id = `r${Math.floor(random() * 60)}`;
        const time = `2026-11-25T10:00:${String(Math.floor(random() * 20)).padStart(2, '0')}.000Z`;
        const done = random() < 0.5;
        s = liveReducer(s, done ? end(record(id, time)) : start(id, time));
        ref = reference(ref, cap, { id, time, done });
        expect(s.items.map((r) => [r.id, r.time, Boolean(r.record)])).toEqual(
          ref.map((r) => [r.id, r.time, r.done]),
        );
      }
    }
  });
});
