// The ledger record of one request, filled in step by step along the request path.
import type { ErrorClass, LedgerRecord } from '../../../shared/ledger.js';
import { ZERO_USAGE, type ApiFamily, type Endpoint, type Usage } from '../../../shared/usage.js';
import { isoTime } from './iso-time.js';

export interface RecordDraft {
  id: string;
  time: Date;
  /** `time` as the ledger writes it: formatted once, for the journal, the live event and the record. */
  timeIso: string;
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
  plan?: boolean;
  apiEquivalentUsd?: number | null;
  /** Not recorded: the last attempt reached a connected upstream socket, so the provider may
   *  bill it (its reservation is kept as spend unless the answer says otherwise). */
  sentUpstream: boolean;
  /** Not recorded: the answer's final usage was read, so it is metered in full even if the client
   *  left before the stream ended (Codex closes as soon as `response.completed` arrives). */
  usageFinal: boolean;
  client?: string;
  session?: string;
}

// Built property by property, not by spreading: these run for every request, and spread and
// rest copies are several times slower in V8 than a literal of known shape.
export function newDraft(
  init: Pick<RecordDraft, 'id' | 'time' | 'startedAt' | 'family' | 'endpoint' | 'path' | 'tool'>,
): RecordDraft {
  return {
    id: init.id,
    time: init.time,
    timeIso: isoTime(init.time),
    startedAt: init.startedAt,
    family: init.family,
    endpoint: init.endpoint,
    path: init.path,
    tool: init.tool,
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
    sentUpstream: false,
    usageFinal: false,
  };
}

export function toRecord(d: RecordDraft, endedAt: number): LedgerRecord {
  const r: LedgerRecord = {
    id: d.id,
    time: d.timeIso,
    tool: d.tool,
    provider: d.provider,
    model: d.model,
    family: d.family,
    endpoint: d.endpoint,
    path: d.path,
    status: d.status,
    latencyMs: Math.round((endedAt - d.startedAt) * 100) / 100,
    ttfbMs: d.ttfbMs,
    streamed: d.streamed,
    usage: d.usage,
    costUsd: d.costUsd,
    estimated: d.estimated,
    cacheHit: d.cacheHit,
    errorClass: d.errorClass,
  };
  // Optional fields only when present, so records stay small on disk.
  if (d.savedUsd !== undefined) r.savedUsd = d.savedUsd;
  if (d.user !== undefined) r.user = d.user;
  if (d.project !== undefined) r.project = d.project;
  if (d.keyLabel !== undefined) r.keyLabel = d.keyLabel;
  if (d.failovers !== undefined) r.failovers = d.failovers;
  if (d.plan) {
    r.plan = true;
    r.apiEquivalentUsd = d.apiEquivalentUsd ?? null;
  }
  if (d.client !== undefined) r.client = d.client;
  if (d.session !== undefined) r.session = d.session;
  return r;
}
