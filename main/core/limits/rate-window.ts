// One tool's sliding 60-second window for RPM and TPM. Each admitted request is an entry whose
// token count starts as the estimate and is replaced by the actual count on settle.
// On the hot path for every request: entries are appended in time order and expire from the
// front, with a running token sum, so admit costs O(1) however busy the minute was.
export const WINDOW_MS = 60_000;

export interface WindowEntry {
  readonly at: number;
  tokens: number;
}

export class RateWindow {
  private entries: WindowEntry[] = [];
  private head = 0;
  private tokenSum = 0;

  private prune(nowMs: number): void {
    const e = this.entries;
    // A clock stepping backwards leaves a newer entry in front; older ones then expire a little late, never early.
    while (this.head < e.length && e[this.head]!.at + WINDOW_MS <= nowMs) {
      this.tokenSum -= e[this.head]!.tokens;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > e.length) {
      this.entries = e.slice(this.head);
      this.head = 0;
    }
  }

  /** Entries still inside the window at `nowMs`, oldest first. */
  live(nowMs: number): readonly WindowEntry[] {
    this.prune(nowMs);
    return this.entries.slice(this.head);
  }

  add(nowMs: number, tokens: number): WindowEntry {
    const entry = { at: nowMs, tokens };
    this.entries.push(entry);
    this.tokenSum += tokens;
    return entry;
  }

  /** Replace an entry's estimate with its actual count (settle). */
  setTokens(entry: WindowEntry, tokens: number, nowMs: number): void {
    this.prune(nowMs);
    // An entry already out of the window no longer counts in the sum.
    if (entry.at + WINDOW_MS > nowMs) this.tokenSum += tokens - entry.tokens;
    entry.tokens = tokens;
  }

  usage(nowMs: number): { requests: number; tokens: number } {
    this.prune(nowMs);
    return { requests: this.entries.length - this.head, tokens: this.tokenSum };
  }

  /** ms until one more request fits under `rpm` (0 = fits now). */
  requestWaitMs(nowMs: number, rpm: number): number {
    this.prune(nowMs);
    const mustExpire = this.entries.length - this.head - rpm + 1;
    if (mustExpire <= 0) return 0;
    const last = this.entries[this.head + mustExpire - 1];
    return last ? last.at + WINDOW_MS - nowMs : 0;
  }

  /** ms until `need` more tokens fit under `tpm` (0 = fits now, Infinity = never: need > tpm). */
  tokenWaitMs(nowMs: number, tpm: number, need: number): number {
    if (need > tpm) return Infinity;
    this.prune(nowMs);
    let used = this.tokenSum;
    if (used + need <= tpm) return 0;
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      used -= e.tokens;
      if (used + need <= tpm) return e.at + WINDOW_MS - nowMs;
    }
    return WINDOW_MS;
  }

  /** ms until the oldest entry counting for `metric` leaves the window (when remaining grows). */
  resetMs(nowMs: number, metric: 'requests' | 'tokens'): number {
    this.prune(nowMs);
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (metric === 'requests' || e.tokens > 0) return e.at + WINDOW_MS - nowMs;
    }
    return 0;
  }
}
