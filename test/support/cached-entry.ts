// A stored answer for the cache's tests: a gpt-4o-mini answer of 12 + 5 tokens around `body`, as
// the relay would store it (JSON, or an event stream when `streamed`).
import { ZERO_USAGE } from '../../shared/usage.js';

export function cachedEntry<B extends Buffer | readonly Buffer[]>(body: B, streamed = false) {
  return {
    status: 200,
    headers: { 'content-type': streamed ? 'text/event-stream' : 'application/json' },
    body,
    streamed,
    usage: { ...ZERO_USAGE, inputTokens: 12, outputTokens: 5 },
    costUsd: 0.000005,
    model: 'gpt-4o-mini',
    storedAt: Date.now(),
  };
}
