// Big bodies are copied a bounded number of bytes per event-loop turn, across all requests. On the
// bench VM the first write to each fresh 4 kB page faults at ~10 ms a MB, and Node hands a
// connection's socket reads over up to 2 MB at a time, every connection's in the same poll phase:
// eight 20 MB bodies arriving held the loop 100–240 ms at a time (issue 16: ≤ 20 ms). Writing a
// big body upstream costs the same per byte (the kernel's socket buffers) and shares the budget.

/** Bytes all big bodies together may copy or write in one turn of the event loop. */
export const TURN_BYTES = 256 * 1024;

let used = 0;
let scheduled = false;
const waiting: Array<() => void> = [];

function nextTurn(): void {
  used = 0;
  scheduled = false;
  // Each waiter takes its share again; those that do not fit wait for the turn after.
  for (let n = waiting.length; n > 0 && used < TURN_BYTES; n--) waiting.shift()!();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(nextTurn);
}

/** Counts `bytes` against this turn's budget if any is left (true), else false: wait (onTurn). */
export function takeTurnBytes(bytes: number): boolean {
  if (used >= TURN_BYTES) return false;
  used += bytes;
  schedule();
  return true;
}

/** Runs `fn` at the start of a later turn, in order with other waiters. */
export function onTurn(fn: () => void): void {
  waiting.push(fn);
  schedule();
}

/** Resolves once `bytes` fit in a turn's budget (at once when they fit this one). */
export function turnFor(bytes: number): Promise<void> | undefined {
  if (takeTurnBytes(bytes)) return undefined;
  return new Promise<void>((resolve) => {
    const retry = () => (takeTurnBytes(bytes) ? resolve() : onTurn(retry));
    onTurn(retry);
  });
}

/** `pieces` one after the other in views of at most TURN_BYTES, each waiting for room in a turn's
 *  budget (above). One socket write of a 20 MB view had the kernel copy whole send buffers
 *  (MBs, 50–100 ms on the bench VM) in one turn, and undici writes the next piece in the same turn
 *  whenever the socket took the last one. */
export async function* inTurns(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const p of pieces)
    for (let at = 0; at < p.length; at += TURN_BYTES) {
      const view = p.subarray(at, at + TURN_BYTES);
      await turnFor(view.length);
      yield view;
    }
}
