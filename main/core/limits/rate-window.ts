// One tool's sliding 60-second window for RPM and TPM. Each admitted request is an entry whose
// token count starts as the estimate and is lowered to the actual count on settle; what an answer
// used beyond its estimate counts from its settle, as a token-only entry (TPM sees it, RPM does
// not: the request was counted once, at its start).
// On the hot path for every request: entries are appended in time order and expire from the
// front, with a running token sum, so admit costs O(1) however busy the minute was.
//
// The entries are two numbers each in a ring of Float64Arrays, not an object per request: every
// entry lives a minute, so as objects each one was copied by two scavenges and then traced by every
// mark-compact — at 1,500 requests/s a minute held ~90,000 of them (~64 B each with its boxed
// timestamp: ~6 MB of old generation, which V8 then let grow to twice that; issue 16, RSS after
// 100k requests). Here an entry is 16 B off the JavaScript heap, and the GC never looks at it.
export const WINDOW_MS = 60_000;

/** The tokens a settle counts, in both engines: what the answer used, or for an answer not read in
 *  full (`unread`: what it used is unknown) no less than the estimate it was admitted with. */
export const settledTokens = (actual: { tokens: number; unread?: boolean }, estimate: number): number =>
  actual.unread ? Math.max(actual.tokens, estimate) : actual.tokens;

/** An admitted request's place in its window: what settle names to replace its token count. */
export type WindowEntry = number;

const INITIAL_CAPACITY = 64;
/** Requests resetMs looks through for the oldest holding tokens (redis-scripts.ts: the same 64). */
const RESET_SCAN = 64;
/** Entries a token wait walks at most (redis-scripts.ts: the same 256). */
const WAIT_SCAN = 256;

/** Entries (time, tokens) in arrival order, expiring from the front, with their token sum. */
class Ring {
  private at = new Float64Array(INITIAL_CAPACITY);
  private tokens = new Float64Array(INITIAL_CAPACITY);
  /** capacity - 1; the capacity is a power of two, so `seq & mask` is an entry's slot. */
  private mask = INITIAL_CAPACITY - 1;
  /** Sequence number of the oldest entry still held, and of the next one to be added. */
  head = 0;
  tail = 0;
  sum = 0;

  prune(nowMs: number): void {
    // A clock stepping backwards leaves a newer entry in front; older ones then expire a little late, never early.
    while (this.head < this.tail && this.at[this.head & this.mask]! + WINDOW_MS <= nowMs) {
      this.sum -= this.tokens[this.head & this.mask]!;
      this.head++;
    }
    // After a burst, a quiet window gives most of its ring back.
    const capacity = this.mask + 1;
    if (capacity > 4 * INITIAL_CAPACITY && (this.tail - this.head) * 4 < capacity) this.resize(capacity / 2);
  }

  private resize(capacity: number): void {
    const at = new Float64Array(capacity);
    const tokens = new Float64Array(capacity);
    for (let s = this.head; s < this.tail; s++) {
      at[s & (capacity - 1)] = this.at[s & this.mask]!;
      tokens[s & (capacity - 1)] = this.tokens[s & this.mask]!;
    }
    this.at = at;
    this.tokens = tokens;
    this.mask = capacity - 1;
  }

  add(nowMs: number, tokens: number): number {
    if (this.tail - this.head > this.mask) this.resize(2 * (this.mask + 1));
    const seq = this.tail++;
    this.at[seq & this.mask] = nowMs;
    this.tokens[seq & this.mask] = tokens;
    this.sum += tokens;
    return seq;
  }

  holds(seq: number): boolean {
    return seq >= this.head && seq < this.tail;
  }

  atOf(seq: number): number {
    return this.at[seq & this.mask]!;
  }

  tokensOf(seq: number): number {
    return this.tokens[seq & this.mask]!;
  }

  set(seq: number, tokens: number): void {
    this.sum += tokens - this.tokens[seq & this.mask]!;
    this.tokens[seq & this.mask] = tokens;
  }
}

export class RateWindow {
  /** One entry per admitted request: RPM counts these. */
  private readonly requests = new Ring();
  /** Token-only entries: what answers used beyond what their request's entry held. */
  private readonly late = new Ring();

  private prune(nowMs: number): void {
    this.requests.prune(nowMs);
    this.late.prune(nowMs);
  }

  add(nowMs: number, tokens: number): WindowEntry {
    return this.requests.add(nowMs, tokens);
  }

  /** Replace an entry's token count (release: 0). An entry already out of the window no longer
   *  counts in the sum (nor is it held any more): nothing to replace. */
  setTokens(entry: WindowEntry, tokens: number, nowMs: number): void {
    this.prune(nowMs);
    if (this.requests.holds(entry)) this.requests.set(entry, tokens);
  }

  /** Settle an entry admitted with `estimate` tokens with the answer's `actual` count. Each token
   *  counts for one minute: the entry keeps what it held at its start, down to the actual count,
   *  and what the answer used beyond that counts from now, for the minute after, without being a
   *  request (a token-only entry). Had it taken the whole count at its start's time, an answer
   *  settling 59 s in would count its tokens for 1 s (and one settling after 60 s, never). */
  settle(entry: WindowEntry, estimate: number, actual: number, nowMs: number): void {
    this.prune(nowMs);
    let held = estimate;
    if (this.requests.holds(entry)) {
      held = this.requests.tokensOf(entry);
      if (actual < held) this.requests.set(entry, actual);
    }
    if (actual > held) this.late.add(nowMs, actual - held);
  }

  usage(nowMs: number): { requests: number; tokens: number } {
    this.prune(nowMs);
    return { requests: this.requests.tail - this.requests.head, tokens: this.requests.sum + this.late.sum };
  }

  /** ms until one more request fits under `rpm` (0 = fits now). */
  requestWaitMs(nowMs: number, rpm: number): number {
    this.prune(nowMs);
    const r = this.requests;
    const mustExpire = r.tail - r.head - rpm + 1;
    if (mustExpire <= 0) return 0;
    return r.atOf(r.head + mustExpire - 1) + WINDOW_MS - nowMs;
  }

  /** ms until `need` more tokens fit under `tpm` (0 = fits now, Infinity = never: need > tpm).
   *  On every refusal: it walks WAIT_SCAN entries at most, and past them answers when the last of
   *  those leaves (too early, never too late: the retry is refused again with a later wait), so a
   *  minute of requests settled at 0 in front does not make each refusal walk all of them. */
  tokenWaitMs(nowMs: number, tpm: number, need: number): number {
    if (need > tpm) return Infinity;
    this.prune(nowMs);
    const { requests: r, late: l } = this;
    let used = r.sum + l.sum;
    if (used + need <= tpm) return 0;
    // Both rings in time order, oldest first: the wait is until enough of them have left.
    for (let i = r.head, j = l.head, walked = 1; i < r.tail || j < l.tail; walked++) {
      const fromLate = j < l.tail && (i >= r.tail || l.atOf(j) < r.atOf(i));
      const at = fromLate ? l.atOf(j) : r.atOf(i);
      used -= fromLate ? l.tokensOf(j++) : r.tokensOf(i++);
      if (used + need <= tpm || walked === WAIT_SCAN) return at + WINDOW_MS - nowMs;
    }
    return WINDOW_MS;
  }

  /** ms until the oldest entry counting for `metric` leaves the window (when remaining grows).
   *  On every admit: for tokens, the oldest request holding some is looked for among the
   *  RESET_SCAN oldest only (past them, the oldest request: too early, never too late), so a
   *  minute of requests settled at 0 does not make each admit walk all of them (Redis: the same). */
  resetMs(nowMs: number, metric: 'requests' | 'tokens'): number {
    this.prune(nowMs);
    const { requests: r, late: l } = this;
    if (metric === 'requests') return r.head < r.tail ? r.atOf(r.head) + WINDOW_MS - nowMs : 0;
    let first = Infinity;
    const end = Math.min(r.tail, r.head + RESET_SCAN);
    for (let s = r.head; s < end; s++) {
      if (r.tokensOf(s) > 0) {
        first = r.atOf(s);
        break;
      }
    }
    if (first === Infinity && end < r.tail) first = r.atOf(r.head);
    if (l.head < l.tail) first = Math.min(first, l.atOf(l.head));
    return first === Infinity ? 0 : first + WINDOW_MS - nowMs;
  }
}
