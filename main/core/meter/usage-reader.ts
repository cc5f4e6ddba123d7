// The per-endpoint contract between the response meter and the readers of provider payloads.
import type { Usage } from '../../../shared/usage.js';

export interface UsageReader {
  /** One parsed SSE `data:` payload (streams) or the whole parsed body (non-streaming). */
  onData(data: unknown): void;
  /** One stream payload as text: kept unparsed (returns true) when it can only add to the output
   *  estimate, so most events cost no JSON.parse; else the caller parses it and calls onData. */
  tryDefer(payload: string): boolean;
  /** Offset of the first byte at or after `from` in `events` (whole SSE events, decoded as latin1)
   *  that tryDefer might not let through, or `events.length`: the meter keeps every event before
   *  it unparsed in one piece. */
  firstSignificantByte(events: string, from: number): number;
  /** Keeps whole SSE events that firstSignificantByte cleared, unparsed until the estimate is needed. */
  deferEvents(events: Buffer): void;
  usage(): Usage;
  /** The provider's own final usage has been read. */
  readonly final: boolean;
  readonly model: string | undefined;
}

/** Usage built from estimates alone. */
export function estimatedUsage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
}
