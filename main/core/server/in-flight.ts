// The proxied requests still running (each one's handler promise ends after its ledger record is
// written), so a shutdown can wait for them instead of cutting their streams.
export interface InFlight {
  track(work: Promise<unknown>): void;
  readonly size: number;
  /** Resolves once nothing is in flight, or when `signal` aborts (a shutdown's grace ran out). */
  idle(signal: AbortSignal): Promise<void>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  let waiters: Array<() => void> = [];
  const wake = () => {
    if (running.size > 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  return {
    get size() {
      return running.size;
    },
    track(work) {
      running.add(work);
      const done = () => {
        running.delete(work);
        wake();
      };
      work.then(done, done);
    },
    idle(signal) {
      if (running.size === 0 || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
}
