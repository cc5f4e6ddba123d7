// Sliced work on big bodies (parsing a 20 MB body in pieces, counting its tokens) shares one time
// budget per event-loop turn, across all requests. Each task handing the loop back after its own
// 4 ms was not enough: every waiting task resumes in the same check phase, so eight 20 MB bodies
// parsed at once held the loop 8 × 4 = 32 ms a turn (the bench's regular 20 ms blocks were five at
// once; issue 16: ≤ 20 ms). Now one waiting task resumes per turn, and any task goes on only while
// the turn's budget lasts.

/** Milliseconds of sliced work all big bodies together may do in one event-loop turn. */
export const TURN_MS = 4;

let deadline = 0;
let scheduled = false;
const waiting: Array<() => void> = [];

function nextTurn(): void {
  scheduled = false;
  deadline = performance.now() + TURN_MS;
  // The longest-waiting task gets this turn; the others stay in line, in order.
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(nextTurn);
}

/**
 * Call between two pieces of sliced work: undefined (go on at once) while this turn's budget
 * lasts, else a promise that resolves when a later turn is this task's. A piece should take well
 * under TURN_MS (the budget is checked between pieces, not during one).
 */
export function cpuTurn(): Promise<void> | undefined {
  if (performance.now() < deadline) return undefined;
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
