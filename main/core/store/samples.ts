// Fixed sample rows: statements are compiled once from them, so their shape is the statements' shape.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { RollupDelta, WideDelta } from './ledger-engine.js';
import { emptySums, type ReservationsTable, type RollupTable } from './schema.js';

export const sampleRecord: LedgerRecord = {
  id: 'sample',
  time: '2024-01-01T00:00:00.000Z',
  tool: 't',
  provider: 'p',
  model: 'm',
  family: 'openai',
  endpoint: 'chat',
  path: '/',
  status: 200,
  latencyMs: 0,
  ttfbMs: null,
  streamed: false,
  usage: { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 },
  costUsd: null,
  estimated: false,
  cacheHit: false,
  errorClass: null,
};

export function sampleRollup(table: RollupTable): RollupDelta {
  return {
    table,
    day: '2024-01-01',
    tool: 't',
    key: 'k',
    sums: emptySums(),
  };
}

export const sampleWide: WideDelta = {
  day: '2024-01-01',
  tool: 't',
  model: 'm',
  user: '',
  project: '',
  client: '',
  sums: emptySums(),
};

export const sampleReservation: ReservationsTable = {
  id: 'sample',
  instance: 'i',
  time_ms: 0,
  day: '2024-01-01',
  tool: 't',
  cost_e10: null,
  record: '{}',
};
