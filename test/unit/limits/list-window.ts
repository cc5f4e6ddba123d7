// The RPM/TPM window as the simplest list of entries — what RateWindow must answer — and the
// seeded random walk the window tests drive it and RateWindow (or both engines) through.
import { WINDOW_MS } from '../../../main/core/limits/rate-window.js';

interface Entry {
  /** null: a token-only entry (TPM counts it, RPM does not). */
  seq: number | null;
  at: number;
  tokens: number;
}

/** The window as a list in arrival order. An entry leaves from the front once the minute has
 *  passed it: with a clock that steps back, one behind an unexpired entry waits for it. */
export class ListWindow {
  entries: Entry[] = [];
  next = 0;
  // Kept as entries come and go, so that a walk of many thousand steps stays quick.
  private sum = 0;
  private tokenOnly = 0;
  prune(now: number) {
    while (this.entries.length > 0 && this.entries[0]!.at + WINDOW_MS <= now)
      this.drop(this.entries.shift()!);
  }
  private drop(e: Entry) {
    this.sum -= e.tokens;
    if (e.seq === null) this.tokenOnly--;
  }
  private push(e: Entry) {
    this.entries.push(e);
    this.sum += e.tokens;
    if (e.seq === null) this.tokenOnly++;
  }
  add(now: number, tokens: number) {
    this.push({ seq: this.next, at: now, tokens });
    return this.next++;
  }
  setTokens(seq: number, tokens: number, now: number) {
    this.prune(now);
    const e = this.entries.find((x) => x.seq === seq);
    if (!e) return;
    this.sum += tokens - e.tokens;
    e.tokens = tokens;
  }
  release(seq: number, now: number) {
    this.setTokens(seq, 0, now);
  }
  /** An answer's `actual` tokens for the request `seq` reserved `estimate` for: its entry lowered
   *  to them, and what it used beyond what the entry held counted from now, token-only. */
  settle(seq: number, estimate: number, actual: number, now: number) {
    this.prune(now);
    const e = this.entries.find((x) => x.seq === seq);
    const held = e ? e.tokens : estimate;
    if (e && actual < held) this.setTokens(seq, actual, now);
    if (actual > held) this.push({ seq: null, at: now, tokens: actual - held });
  }
  private requests = () => (this.tokenOnly === 0 ? this.entries : this.entries.filter((e) => e.seq !== null));
  usage(now: number) {
    this.prune(now);
    return { requests: this.entries.length - this.tokenOnly, tokens: this.sum };
  }
  requestWaitMs(now: number, rpm: number) {
    this.prune(now);
    const r = this.requests();
    const must = r.length - rpm + 1;
    return must <= 0 ? 0 : r[must - 1]!.at + WINDOW_MS - now;
  }
  tokenWaitMs(now: number, tpm: number, need: number) {
    if (need > tpm) return Infinity;
    this.prune(now);
    let used = this.sum;
    if (used + need <= tpm) return 0;
    // The 256 oldest at most: past them, when the 256th leaves (too early, never too late).
    let walked = 0;
    for (const e of this.entries) {
      used -= e.tokens;
      if (used + need <= tpm || ++walked === 256) return e.at + WINDOW_MS - now;
    }
    return WINDOW_MS;
  }
  resetMs(now: number, metric: 'requests' | 'tokens') {
    this.prune(now);
    const e = this.entries.find((x) => (metric === 'requests' ? x.seq !== null : x.tokens > 0));
    return e ? e.at + WINDOW_MS - now : 0;
  }
}

/** A small deterministic PRNG (mulberry32): the same sequence on every run. */
export function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
