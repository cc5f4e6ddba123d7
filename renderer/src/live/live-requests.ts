// The Live page's state: requests in progress (request.start) become finished rows on request.end,
// newest first, capped so a busy day can't grow the window's memory without bound.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { ShimmyEvent } from '../../../shared/events.js';

export interface LiveRequest {
  id: string;
  time: string;
  tool: string;
  provider: string;
  model: string;
  streamed: boolean;
  /** Absent while the request is still in progress. */
  record?: LedgerRecord;
}

export interface LiveState {
  cap: number;
  items: LiveRequest[];
}

export type LiveAction = { type: 'event'; event: ShimmyEvent } | { type: 'seed'; records: LedgerRecord[] };

export const DEFAULT_LIVE_CAP = 200;

export function initialLiveState(cap = DEFAULT_LIVE_CAP): LiveState {
  return { cap, items: [] };
}

function fromRecord(record: LedgerRecord): LiveRequest {
  const { id, time, tool, provider, model, streamed } = record;
  return { id, time, tool, provider, model, streamed, record };
}

const timeOf = (r: LiveRequest) => {
  const t = Date.parse(r.time);
  return Number.isNaN(t) ? 0 : t;
};

/** Newest first; equal times keep their arrival order (Array.prototype.sort is stable). */
function ordered(items: LiveRequest[], cap: number): LiveRequest[] {
  return [...items].sort((a, b) => timeOf(b) - timeOf(a)).slice(0, cap);
}

function upsert(items: LiveRequest[], next: LiveRequest): LiveRequest[] {
  const i = items.findIndex((r) => r.id === next.id);
  if (i === -1) return [next, ...items];
  const prev = items[i]!;
  // A finished row never goes back to in-progress (a late or replayed start).
  if (prev.record && !next.record) return items;
  const copy = items.slice();
  copy[i] = next;
  return copy;
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.type === 'seed') {
    let items = state.items;
    for (const record of action.records) items = upsert(items, fromRecord(record));
    return { ...state, items: ordered(items, state.cap) };
  }
  const e = action.event;
  if (e.type === 'request.start') {
    const { id, time, tool, provider, model, streamed } = e;
    return {
      ...state,
      items: ordered(upsert(state.items, { id, time, tool, provider, model, streamed }), state.cap),
    };
  }
  if (e.type === 'request.end') {
    return { ...state, items: ordered(upsert(state.items, fromRecord(e.record)), state.cap) };
  }
  return state;
}

export function inProgress(items: LiveRequest[]): number {
  return items.filter((r) => !r.record).length;
}
