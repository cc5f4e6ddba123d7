// Event-loop turns, counted for tests that judge work cut into turns by turns rather than by time
// (the same on a fast or a loaded machine): an immediate that queues itself again, once a turn.

export interface LoopTurns {
  /** Turns since counting started. */
  readonly now: number;
  stop(): void;
}

export function countLoopTurns(): LoopTurns {
  let turn = 0;
  let counting = true;
  const tick = (): void => {
    turn++;
    if (counting) setImmediate(tick);
  };
  tick();
  return {
    get now() {
      return turn;
    },
    stop() {
      counting = false;
    },
  };
}
