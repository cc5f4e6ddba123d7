// The first paint's answers, asked for before React mounts. The page's script takes a few hundred
// milliseconds to evaluate and render the shell before any effect runs (more on a busy machine);
// the core can answer meanwhile. A primed answer is handed to the first identical call only, and
// only for a few seconds: after that a call asks afresh, so no page shows a stale primed answer.
import type { AdminRouteName } from '../../../shared/admin-api.js';
import type { ApiClient } from './client.js';

/** How long an unclaimed primed answer stays usable (the first paint is long over by then). */
export const PRIMED_FOR_MS = 5_000;

type LooseCall = (name: AdminRouteName, args?: unknown) => Promise<unknown>;

/** The same key useRoute() builds for a call: its name and arguments. */
const callKey = (name: AdminRouteName, args: unknown) => JSON.stringify([name, args ?? {}]);

export function primeClient(
  client: ApiClient,
  first: ReadonlyArray<readonly [AdminRouteName, unknown?]>,
  deps: { setTimeout: (fn: () => void, ms: number) => unknown } = globalThis,
): ApiClient {
  const call = client.call as LooseCall;
  const early = new Map<string, Promise<unknown>>();
  for (const [name, args] of first) {
    const key = callKey(name, args);
    const answer = call(name, args);
    answer.catch(() => undefined); // its caller sees the failure; unclaimed, it is not "unhandled"
    early.set(key, answer);
    deps.setTimeout(() => early.delete(key), PRIMED_FOR_MS);
  }
  const primed: LooseCall = (name, args) => {
    const key = callKey(name, args);
    const answer = early.get(key);
    if (!answer) return call(name, args);
    early.delete(key);
    return answer;
  };
  return { call: primed as ApiClient['call'], url: (path) => client.url(path) };
}
