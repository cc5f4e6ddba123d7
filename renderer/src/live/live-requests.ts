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

// Parsed once per row: the list is re-ordered on every event, up to a thousand a second.
const times = new WeakMap<LiveRequest, number>();
const timeOf = (r: LiveRequest) => {
  let t = times.get(r);
  if (t === undefined) {
    t = Date.parse(r.time);
    if (Number.isNaN(t)) t = 0;
    times.set(r, t);
  }
  return t;
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

/**
 * One live row into a list already newest first: what `ordered(upsert(items, next))` gives, without
 * sorting the whole list per event (sorting 200 rows per event cost each open dashboard most of a
 * core at 500 req/s). A new row goes before the first row that is not newer (the newest arrival
 * first among equal times, as the stable sort put it); a row whose time did not change stays put.
 */
function place(items: LiveRequest[], next: LiveRequest, cap: number): LiveRequest[] {
  const i = items.findIndex((r) => r.id === next.id);
  const t = timeOf(next);
  let rest = items;
  // Among rows of equal time, a stable sort keeps array order: a new row (put first) goes before
  // them; a row that moved to a newer time (it sat below them) goes after them.
  let afterEqual = false;
  if (i !== -1) {
    const prev = items[i]!;
    if (prev.record && !next.record) return items;
    if (timeOf(prev) === t) {
      const copy = items.slice();
      copy[i] = next;
      return copy;
    }
    afterEqual = timeOf(prev) < t;
    rest = items.filter((_, k) => k !== i);
  }
  let at = 0;
  while (at < rest.length && (timeOf(rest[at]!) > t || (afterEqual && timeOf(rest[at]!) === t))) at++;
  if (at >= cap) return rest;
  const out = rest.slice(0, at);
  out.push(next);
  for (let k = at; k < rest.length && out.length < cap; k++) out.push(rest[k]!);
  return out;
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
    const items = place(state.items, { id, time, tool, provider, model, streamed }, state.cap);
    return items === state.items ? state : { ...state, items };
  }
  if (e.type === 'request.end') {
    const items = place(state.items, fromRecord(e.record), state.cap);
    return items === state.items ? state : { ...state, items };
  }
  return state;
}

export function inProgress(items: LiveRequest[]): number {
  return items.filter((r) => !r.record).length;
}
