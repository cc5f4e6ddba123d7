// One timer for every stream's held (deferred, unparsed) output events. Most streams end with the
// provider's own usage within milliseconds and their held events are then dropped unparsed; a
// stream that stays open (a slow model, or an answer that arrived and then pauses) must not keep
// what it holds for long, or the memory of an open stream would grow with its answer (issue 16).
// Holding by age rather than by a small size bound separates the two: a size bound small enough
// for open streams made every fast stream parse most of its events (issue 11, stream c=32).

/** What the sweep can ask to let go of its held events (OutputEstimator). */
export interface HeldEvents {
  /** Parses what is held now; the holder then calls forget(). */
  parseHeld(): void;
}

export interface HeldEventsSweep {
  /** `h` started holding events: parsed once it has held some for at least `afterMs`. */
  watch(h: HeldEvents): void;
  /** `h` holds nothing any more. */
  forget(h: HeldEvents): void;
  /** How many holders are watched (for tests and stats). */
  watching(): number;
}

/**
 * Every `afterMs` the holders that were already watched at the previous tick are parsed: each is
 * held between `afterMs` and twice that. Two sets and no clock read per stream; the timer runs
 * only while something is held, and never keeps the process alive.
 */
export function createHeldEventsSweep(afterMs: number): HeldEventsSweep {
  let young = new Set<HeldEvents>();
  let old = new Set<HeldEvents>();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const due = old;
    old = young;
    young = new Set();
    // parseHeld() calls forget(), which only touches the two live sets, not `due`.
    for (const h of due) h.parseHeld();
    if (old.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    watch(h) {
      young.add(h);
      timer ??= setInterval(tick, afterMs).unref();
    },
    forget(h) {
      if (!young.delete(h)) old.delete(h);
    },
    watching: () => young.size + old.size,
  };
}

/** Held events older than this are parsed even while their stream stays open. A stream at c=32
 *  lasts a few milliseconds; a slow stream (a token every 50 ms) holds about 5–10 events. */
export const HELD_EVENTS_MAX_AGE_MS = 250;

/** The process's one sweep, used by every OutputEstimator unless a test passes its own. */
export const heldEventsSweep: HeldEventsSweep = createHeldEventsSweep(HELD_EVENTS_MAX_AGE_MS);
