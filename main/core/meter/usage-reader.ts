// The per-endpoint contract between the response meter and the readers of provider payloads.
import type { Usage } from '../../../shared/usage.js';

export interface UsageReader {
  /** One parsed SSE `data:` payload (streams) or the whole parsed body (non-streaming). */
  onData(data: unknown): void;
  /** Offset of the first byte at or after `from` in `events` (whole SSE events, decoded as latin1)
   *  that could carry usage or a new model, or `events.length`. Errs early: stopping at a byte that
   *  turns out harmless only costs a JSON.parse. The meter keeps the events before it unparsed
   *  (most events of a stream only feed the output estimate) and parses the one holding it. */
  firstSignificantByte(events: string, from: number): number;
  /** Keeps whole SSE events that firstSignificantByte cleared, unparsed until the estimate is
   *  needed: the very text it scanned (their bytes as latin1), so a run is decoded once. */
  deferEvents(events: string): void;
  /** `atMost`: with the output estimate replaced by a bound it never exceeds
   *  (OutputEstimator.tokens(true)), which costs no parse and no tokenizing. */
  usage(atMost?: boolean): Usage;
  /** The provider's own final usage has been read. */
  readonly final: boolean;
  readonly model: string | undefined;
  /** Responses: the answer's id (a later request may continue it). */
  readonly responseId?: string | undefined;
  /** Responses: the image generation tool's own usage (`tool_usage.image_gen`), billed at the
   *  image model's rates apart from the answer's `usage`. */
  readonly toolImageUsage?: Usage | undefined;
}

/** Usage built from estimates alone. */
export function estimatedUsage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
}
