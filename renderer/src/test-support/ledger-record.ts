// A finished request as the ledger records it (and request.end carries it), for the dashboard's
// tests: tool "cli"'s streamed gpt-4o-mini chat, unless `over` says otherwise. The ledger tests'
// record() (test/unit/ledger/helpers.ts) builds on it too: it imports only the shared contract, so
// the test config compiles it as well, and no page imports it, so the bundle does not.
import type { LedgerRecord } from '../../../shared/ledger.js';

export function ledgerRecord(over: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    id: 'req-1',
    time: '2026-11-25T10:00:00.000Z',
    tool: 'cli',
    provider: 'openai',
    model: 'gpt-4o-mini',
    family: 'openai',
    endpoint: 'chat',
    path: '/v1/chat/completions',
    status: 200,
    latencyMs: 120,
    ttfbMs: 40,
    streamed: true,
    usage: {
      inputTokens: 1000,
      cachedInputTokens: 200,
      cacheWriteTokens: 0,
      outputTokens: 500,
      reasoningTokens: 0,
    },
    // gpt-4o-mini $0.15 in, $0.075 cached in, $0.60 out per 1M (openai.com/api/pricing, read
    // 2026-11-27): 800 × 0.15e-6 + 200 × 0.075e-6 + 500 × 0.6e-6 = $0.000435.
    costUsd: 0.000435,
    estimated: false,
    cacheHit: false,
    errorClass: null,
    ...over,
  };
}
