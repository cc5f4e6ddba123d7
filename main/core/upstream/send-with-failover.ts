// Tries a request on each attempt (key × provider chain) until one answers. Only failures that
// happen before any byte reached the client are retried: 401/403 (the key is marked bad),
// 429 and 5xx, and network errors before the request was written — not one that failed after
// (a reset once the provider had it, or a request it held until the timeout): the provider may
// bill that copy, and a second one would be billed too while only one is recorded. It fails
// with 502/504 instead and is charged its worst case (proxy/charge-unread.ts). The last
// attempt's answer, good or bad, is what the client gets.
import type { KeyHealth } from './key-health.js';
import {
  classifyUpstreamError,
  discardBody,
  heldByProvider,
  type CancelSignal,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-client.js';

export interface Attempt {
  provider: string;
  model: string;
  keyLabel: string;
}

export type FailoverResult<A extends Attempt> =
  | { ok: true; response: UpstreamResponse; attempt: A; failed: string[] }
  | { ok: false; error: unknown; attempt: A; failed: string[] };

export const MAX_ATTEMPTS = 5;

const retryable = (status: number) => status === 429 || status >= 500;

export async function sendWithFailover<A extends Attempt>(opts: {
  attempts: A[];
  build: (attempt: A) => UpstreamRequest;
  client: UpstreamClient;
  health: KeyHealth;
  signal: CancelSignal;
  random?: () => number;
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
}): Promise<FailoverResult<A>> {
  const attempts = opts.attempts.slice(0, MAX_ATTEMPTS);
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  const failed: string[] = [];
  for (let i = 0; ; i++) {
    const attempt = attempts[i]!;
    const last = i === attempts.length - 1;
    const name = `${attempt.provider}:${attempt.keyLabel}`;
    let written = false;
    try {
      const req = opts.build(attempt); // a fresh object per attempt: ours to change
      const dispatched = req.onDispatched;
      req.onDispatched = () => {
        written = true;
        dispatched?.();
      };
      const response = await opts.client(req);
      if (response.status === 401 || response.status === 403)
        opts.health.markBad(attempt.provider, attempt.keyLabel);
      if (last || !(response.status === 401 || response.status === 403 || retryable(response.status))) {
        return { ok: true, response, attempt, failed };
      }
      discardBody(response);
      failed.push(`${name} ${response.status}`);
      // A different key of the same provider needs no pause; a rate limit or outage does.
      if (retryable(response.status)) await sleep(backoffMs(i, random), opts.signal);
    } catch (error) {
      if (
        last ||
        classifyUpstreamError(error) === 'aborted' ||
        opts.signal.cancelled ||
        written ||
        heldByProvider(error)
      )
        return { ok: false, error, attempt, failed };
      failed.push(`${name} unreachable`);
      await sleep(backoffMs(i, random), opts.signal);
    }
  }
}

/** Jittered exponential back-off: 50–150 ms, 100–300 ms, … capped at 2 s. */
export function backoffMs(attemptIndex: number, random: () => number): number {
  return Math.min(2000, 100 * 2 ** attemptIndex * (0.5 + random()));
}

function defaultSleep(ms: number, signal: CancelSignal): Promise<void> {
  if (signal.cancelled) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      unhook();
      resolve();
    }, ms);
    const unhook = signal.onCancel(() => {
      clearTimeout(t);
      resolve();
    });
  });
}
