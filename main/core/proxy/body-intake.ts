// How many bytes of big request bodies are read in at once, across all requests. A body is held
// whole until it has gone upstream (to route, price, reserve and re-send on failover), so eight
// 20 MB bodies arriving together held 160 MB on top of the process, whatever the process needed
// to serve them (issue 16: peak RSS ≤ 2× what the bodies weigh). A big body whose length is
// declared is read only once it fits in INTAKE_BYTES beside the others being read or sent; until
// then its request stays paused and the rest of it waits in the kernel's socket buffers and the
// client. Reading, parsing and sending bodies is one event loop's CPU either way, so throughput
// stays what it was: the first bodies are served sooner, the last about as late as before.

/** Bytes of big bodies read in at once (two 20 MB bodies). One bigger than this is read alone. */
export const INTAKE_BYTES = 48 * 1024 * 1024;

export interface Intake {
  /** Resolves once the body may be read (or it was released while waiting). */
  ready: Promise<void>;
  /** Gives its place back, admitted or still waiting (idempotent). */
  release(): void;
}

let admitted = 0;
const waiting: Array<{ bytes: number; go: () => void }> = [];

function admitWaiting(): void {
  // In arrival order: a big body is never passed over for smaller ones forever.
  while (waiting.length > 0 && (admitted === 0 || admitted + waiting[0]!.bytes <= INTAKE_BYTES)) {
    const next = waiting.shift()!;
    admitted += next.bytes;
    next.go();
  }
}

/** A place for `bytes` of body: ready at once when it fits (or nothing else is admitted), else
 *  once enough earlier bodies are released. */
export function admitBody(bytes: number): Intake {
  let state: 'waiting' | 'admitted' | 'released' = 'waiting';
  let go!: () => void;
  const ready = new Promise<void>((resolve) => {
    go = () => {
      if (state === 'waiting') state = 'admitted';
      resolve();
    };
  });
  const entry = { bytes, go };
  waiting.push(entry);
  admitWaiting();
  return {
    ready,
    release() {
      if (state === 'released') return;
      if (state === 'admitted') admitted -= bytes;
      else waiting.splice(waiting.indexOf(entry), 1);
      state = 'released';
      go();
      admitWaiting();
    },
  };
}

/** Bytes of big bodies admitted now, and bodies waiting (tests, the bench). */
export const intakeState = (): { admittedBytes: number; waiting: number } => ({
  admittedBytes: admitted,
  waiting: waiting.length,
});
