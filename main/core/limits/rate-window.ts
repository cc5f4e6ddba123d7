// One tool's sliding 60-second window for RPM and TPM. Each admitted request is an entry whose
// token count starts as the estimate and is replaced by the actual count on settle.
// On the hot path for every request: entries are appended in time order and expire from the
// front, with a running token sum, so admit costs O(1) however busy the minute was.
//
// The entries are two numbers each in a ring of Float64Arrays, not an object per request: every
// entry lives a minute, so as objects each one was copied by two scavenges and then traced by every
// mark-compact — at 1,500 requests/s a minute held ~90,000 of them (~64 B each with its boxed
// timestamp: ~6 MB of old generation, which V8 then let grow to twice that; issue 16, RSS after
// 100k requests). Here an entry is 16 B off the JavaScript heap, and the GC never looks at it.
export const WINDOW_MS = 60_000;

/** An admitted request's place in its window: what settle names to replace its token count. */
export type WindowEntry = number;

const INITIAL_CAPACITY = 64;

export class RateWindow {
  private at = new Float64Array(INITIAL_CAPACITY);
  private tokens = new Float64Array(INITIAL_CAPACITY);
  /** capacity - 1; the capacity is a power of two, so `seq & mask` is an entry's slot. */
  private mask = INITIAL_CAPACITY - 1;
  /** Sequence number of the oldest entry still held, and of the next one to be added. */
  private head = 0;
  private tail = 0;
  private tokenSum = 0;

  private prune(nowMs: number): void {
    // A clock stepping backwards leaves a newer entry in front; older ones then expire a little late, never early.
    while (this.head < this.tail && this.at[this.head & this.mask]! + WINDOW_MS <= nowMs) {
      this.tokenSum -= this.tokens[this.head & this.mask]!;
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

  add(nowMs: number, tokens: number): WindowEntry {
    if (this.tail - this.head > this.mask) this.resize(2 * (this.mask + 1));
    const seq = this.tail++;
    this.at[seq & this.mask] = nowMs;
    this.tokens[seq & this.mask] = tokens;
    this.tokenSum += tokens;
    return seq;
  }

  /** Replace an entry's estimate with its actual count (settle). */
  setTokens(entry: WindowEntry, tokens: number, nowMs: number): void {
    this.prune(nowMs);
    // An entry already out of the window no longer counts in the sum (nor is it held any more).
    if (entry < this.head || entry >= this.tail) return;
    const slot = entry & this.mask;
    this.tokenSum += tokens - this.tokens[slot]!;
    this.tokens[slot] = tokens;
  }

  usage(nowMs: number): { requests: number; tokens: number } {
    this.prune(nowMs);
    return { requests: this.tail - this.head, tokens: this.tokenSum };
  }

  /** ms until one more request fits under `rpm` (0 = fits now). */
  requestWaitMs(nowMs: number, rpm: number): number {
    this.prune(nowMs);
    const mustExpire = this.tail - this.head - rpm + 1;
    if (mustExpire <= 0) return 0;
    return this.at[(this.head + mustExpire - 1) & this.mask]! + WINDOW_MS - nowMs;
  }

  /** ms until `need` more tokens fit under `tpm` (0 = fits now, Infinity = never: need > tpm). */
  tokenWaitMs(nowMs: number, tpm: number, need: number): number {
    if (need > tpm) return Infinity;
    this.prune(nowMs);
    let used = this.tokenSum;
    if (used + need <= tpm) return 0;
    for (let s = this.head; s < this.tail; s++) {
      used -= this.tokens[s & this.mask]!;
      if (used + need <= tpm) return this.at[s & this.mask]! + WINDOW_MS - nowMs;
    }
    return WINDOW_MS;
  }

  /** ms until the oldest entry counting for `metric` leaves the window (when remaining grows). */
  resetMs(nowMs: number, metric: 'requests' | 'tokens'): number {
    this.prune(nowMs);
    for (let s = this.head; s < this.tail; s++) {
      if (metric === 'requests' || this.tokens[s & this.mask]! > 0)
        return this.at[s & this.mask]! + WINDOW_MS - nowMs;
    }
    return 0;
  }
}
