// The ledger record of one request, filled in step by step along the request path.
import type { ErrorClass, LedgerRecord } from '../../../shared/ledger.js';
import { ZERO_USAGE, type ApiFamily, type Endpoint, type Usage } from '../../../shared/usage.js';

export interface RecordDraft {
  id: string;
  time: Date;
  startedAt: number; // performance.now()
  family: ApiFamily;
  endpoint: Endpoint;
  path: string;
  tool: string;
  provider: string;
  model: string;
  streamed: boolean;
  status: number;
  ttfbMs: number | null;
  usage: Usage;
  costUsd: number | null;
  estimated: boolean;
  cacheHit: boolean;
  savedUsd?: number;
  errorClass: ErrorClass | null;
  user?: string;
  project?: string;
  keyLabel?: string;
  failovers?: string[];
}

export function newDraft(init: Pick<RecordDraft, 'id' | 'time' | 'startedAt' | 'family' | 'endpoint' | 'path' | 'tool'>): RecordDraft {
  return {
    ...init,
    provider: '',
    model: '',
    streamed: false,
    status: 0,
    ttfbMs: null,
    usage: ZERO_USAGE,
    costUsd: 0,
    estimated: false,
    cacheHit: false,
    errorClass: null,
  };
}

export function toRecord(d: RecordDraft, endedAt: number): LedgerRecord {
  const { startedAt, time, ...rest } = d;
  return { ...rest, time: time.toISOString(), latencyMs: Math.round((endedAt - startedAt) * 100) / 100 };
}
