// Work that no request needs at once (loading the admin app, the tokenizer's encodings, the first
// housekeeping) waits for a quiet moment of the proxy: nothing in flight and no request started for
// `quietMs`. Done earlier, it took CPU from the first requests after start (issue 16); `maxWaitMs`
// bounds the wait, so a proxy that is never quiet still gets it, at one moment it chose.
export interface IdleWatch {
  /** A proxied request started now. */
  noteRequest(): void;
  /** Resolves at the first quiet moment, or `maxWaitMs` after the call at the latest. */
  whenIdle(quietMs: number, maxWaitMs: number): Promise<void>;
}

export function createIdleWatch(busy: () => boolean, now: () => number = () => performance.now()): IdleWatch {
  let lastRequest = now();
  return {
    noteRequest() {
      lastRequest = now();
    },
    whenIdle(quietMs, maxWaitMs) {
      const since = now();
      return new Promise((resolve) => {
        const check = () => {
          const quietFor = now() - lastRequest;
          const waited = now() - since;
          if ((!busy() && quietFor >= quietMs) || waited >= maxWaitMs) return resolve();
          const next = Math.min(Math.max(quietMs - quietFor, 10), Math.max(maxWaitMs - waited, 1));
          // Never what keeps the process alive.
          setTimeout(check, next).unref();
        };
        check();
      });
    },
  };
}
