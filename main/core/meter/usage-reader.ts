// The per-endpoint contract between the response meter and the readers of provider payloads.
import type { Usage } from '../../../shared/usage.js';

export interface UsageReader {
  /** One parsed SSE `data:` payload (streams) or the whole parsed body (non-streaming). */
  onData(data: unknown): void;
  /** One stream payload as text: kept unparsed (returns true) when it can only add to the output
   *  estimate, so most events cost no JSON.parse; else the caller parses it and calls onData. */
  tryDefer(payload: string): boolean;
  usage(): Usage;
  /** The provider's own final usage has been read. */
  readonly final: boolean;
  readonly model: string | undefined;
}

/** Usage built from estimates alone. */
export function estimatedUsage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
}
