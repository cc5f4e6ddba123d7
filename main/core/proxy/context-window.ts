// The context window a request asks for when it is wider than the model's own: Anthropic's
// `context-1m-2025-08-07` beta gives Claude Sonnet 4 and 4.5 1,000,000 tokens (docs.claude.com/
// en/docs/build-with-claude/context-windows, read 2026-11-29), and with it the long-context price
// past 200,000 input tokens — a tier that without the beta sits at the window's end and is never
// billed.
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiFamily } from '../../../shared/usage.js';

const ONE_MILLION_BETA = /(^|,)\s*context-1m-/;

export function requestedContextWindow(family: ApiFamily, headers: IncomingHttpHeaders): number | undefined {
  if (family !== 'anthropic') return undefined;
  const beta = headers['anthropic-beta'];
  const value = Array.isArray(beta) ? beta.join(',') : beta;
  return value !== undefined && ONE_MILLION_BETA.test(value) ? 1_000_000 : undefined;
}
