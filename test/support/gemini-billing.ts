// What the Gemini budget tests built again in each file: a harness in front of a loopback Gemini
// whose answer the test writes, and a count of what that provider billed, so a test can hold what
// it billed during a run against the budget.
import type http from 'node:http';
import type { Harness } from './harness.js';
import { harnessOnJsonProvider } from './json-provider.js';

export interface GeminiBilled {
  /** The request's path (with its query) and parsed body. */
  path: string;
  body: Record<string, unknown>;
  /** The request's `generationConfig.maxOutputTokens`: the provider answers that many tokens. */
  output: number;
  headers: http.IncomingHttpHeaders;
  /** Adds to what the provider billed. */
  bill(usd: number): void;
}

export type GeminiHarness = Harness & {
  /** Runs `run`; resolves to its result and what the provider billed meanwhile. */
  billedDuring<T>(run: () => Promise<T>): Promise<{ result: T; billed: number }>;
};

/** A harness for the file's tests with Google pointed at a provider answering `answer`. The object
 *  is filled in before the tests start, so they use it as a plain value. */
export function harnessOnGemini(answer: (x: GeminiBilled) => unknown): GeminiHarness {
  let billedUsd = 0;
  const g = {
    async billedDuring<T>(run: () => Promise<T>) {
      const before = billedUsd;
      const result = await run();
      return { result, billed: billedUsd - before };
    },
  } as GeminiHarness;
  harnessOnJsonProvider(
    ['google'],
    (h) => Object.assign(g, h),
    (path, body, _raw, headers) =>
      answer({
        path,
        body,
        output: Number((body.generationConfig as { maxOutputTokens: number }).maxOutputTokens),
        headers,
        bill: (usd) => (billedUsd += usd),
      }),
  );
  return g;
}
