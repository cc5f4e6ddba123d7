// The rows of a request's usage breakdown: every dimension it was billed for that is not zero,
// with the "part of" counts beside their totals. Exact counts: a request detail is for checking.
import type { Usage } from '../../../shared/usage.js';
import { formatUsd } from '../format/money.js';
import { formatExactCount, formatSeconds } from '../format/numbers.js';

export function usageBreakdown(u: Usage, locale?: string): Array<[string, string]> {
  const n = (x: number) => formatExactCount(x, locale);
  /** `total (part a, part b)` with only the parts that are not zero. */
  const withParts = (total: number, items: Array<[string, number | undefined] | string>) => {
    const shown = items.flatMap((i) =>
      typeof i === 'string' ? [i] : (i[1] ?? 0) > 0 ? [`${i[0]} ${n(i[1] ?? 0)}`] : [],
    );
    return shown.length > 0 ? `${n(total)} (${shown.join(', ')})` : n(total);
  };
  const oneHour = u.cacheWrite1hTokens ?? 0;
  // Writes with a 1-hour TTL are billed apart from 5-minute ones: shown split when there are any.
  const writes: [string, number] | string =
    oneHour > 0
      ? `cache write ${n(u.cacheWriteTokens)}: 5-minute ${n(u.cacheWriteTokens - oneHour)}, 1-hour ${n(oneHour)}`
      : ['cache write', u.cacheWriteTokens];
  const rows: Array<[string, string]> = [
    [
      'Input tokens',
      withParts(u.inputTokens, [
        ['cached', u.cachedInputTokens],
        ['audio', u.inputAudioTokens],
        ['cached audio', u.cachedInputAudioTokens],
        ['images', u.inputImageTokens],
        writes,
      ]),
    ],
    [
      'Output tokens',
      withParts(u.outputTokens, [
        ['reasoning', u.reasoningTokens],
        ['audio', u.outputAudioTokens],
        ['images', u.outputImageTokens],
      ]),
    ],
  ];
  if (u.webSearchRequests) rows.push(['Web searches', n(u.webSearchRequests)]);
  if (u.fileSearchCalls) rows.push(['File searches', n(u.fileSearchCalls)]);
  // xAI's code execution, billed per call (usage.codeExecutionCalls).
  if (u.codeExecutionCalls) rows.push(['Code execution calls', n(u.codeExecutionCalls)]);
  // Billed per session by memory size: the count with the size each was.
  if (u.containers) rows.push(['Code containers', `${n(u.containers)} × ${n(u.containerMemoryGb ?? 1)} GB`]);
  if (u.audioSeconds) rows.push(['Audio', formatSeconds(u.audioSeconds, locale)]);
  if (u.characters) rows.push(['Characters', n(u.characters)]);
  if (u.images) rows.push(['Images', n(u.images)]);
  if (u.serviceTier) rows.push(['Service tier', u.serviceTier]);
  if (u.inferenceGeo) rows.push(['Region', u.inferenceGeo]);
  if (u.providerCostUsd !== undefined) {
    rows.push(['Provider-reported cost', formatUsd(u.providerCostUsd, locale)]);
  }
  return rows;
}
