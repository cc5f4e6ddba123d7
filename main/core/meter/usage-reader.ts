// The per-endpoint contract between the response meter and the readers of provider payloads.
import type { Usage } from '../../../shared/usage.js';

export interface UsageReader {
  /** One parsed SSE `data:` payload (streams) or the whole parsed body (non-streaming). */
  onData(data: unknown): void;
  usage(): Usage;
  /** The provider's own final usage has been read. */
  readonly final: boolean;
  readonly model: string | undefined;
}

/** Usage built from estimates alone. */
export function estimatedUsage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
}
