// Shared fixtures for the ledger tests: a valid record factory and a temp dir per test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { openLedger, type Ledger, type LedgerOptions } from '../../../main/core/ledger/index.js';

export function record(over: Partial<LedgerRecord> & { id: string; time: string }): LedgerRecord {
  return {
    tool: 'aider',
    provider: 'openai',
    model: 'gpt-4o-mini',
    family: 'openai',
    endpoint: 'chat',
    path: '/v1/chat/completions',
    status: 200,
    latencyMs: 120,
    ttfbMs: 40,
    streamed: false,
    usage: {
      inputTokens: 1000,
      cachedInputTokens: 200,
      cacheWriteTokens: 0,
      outputTokens: 500,
      reasoningTokens: 0,
    },
    costUsd: 0.000435,
    estimated: false,
    cacheHit: false,
    errorClass: null,
    ...over,
  };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-ledger-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function open(dir: string, over: Partial<LedgerOptions> = {}): Promise<Ledger> {
  return openLedger({ dir, timeZone: () => 'UTC', retentionDays: () => 30, ...over });
}
