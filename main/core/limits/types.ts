// The limiter's contract with the proxy pipeline: admit before upstream, settle after the ledger.
import type { Tool, Settings } from '../../../shared/config.js';
import type { BudgetAlertEvent, ShimmyEvent } from '../../../shared/events.js';

export interface SpendView {
  /** The ledger implements this (totals() of main/core/ledger). */
  totals(q: { day?: string; month?: string; tool?: string }): { costUsd: number };
}

/** A budget alert already sent, to seed the fired-set after a restart. */
export type FiredAlert = Pick<BudgetAlertEvent, 'scope' | 'threshold' | 'periodKey'>;

export interface LimiterDeps {
  spend: SpendView;
  /** globalDailyUsd, globalMonthlyUsd, timeZone, alertWebhookUrl: read on every call. */
  settings: () => Settings;
  /** alert.budget and alert.blocked. */
  emit: (event: ShimmyEvent) => void;
  now?: () => Date;
  /** For the alert webhook (POST JSON, fire-and-forget, 5 s timeout, errors logged not thrown). */
  fetch?: typeof fetch;
  /** Where webhook failures are reported; console.warn by default. */
  log?: (message: string) => void;
  /** Alerts fired before a restart. Without it, a restart may re-fire a period's alerts once. */
  firedAlerts?: Iterable<FiredAlert>;
}

export interface AdmitRequest {
  model: string;
  /** The body's input tokens + its output cap: counts against TPM now; on settle lowered to the
   *  actual count, and what the answer used beyond it counts from then (rate-window.ts settle). */
  estimatedTokens: number;
  /** Worst-case USD cost of this request (input estimate + max output at the model's price); null when the model is unpriced. */
  worstCaseUsd: number | null;
  /** With worstCaseUsd null: the request is priced, its answer's cost counts against the budget,
   *  but nothing in the request bounds it (whisper-1 bills the seconds of audio it decodes, which
   *  a compressed file of silence can make hours of in a few kB). Admitted one at a time per budget
   *  scope while there is room, so requests sent at once pass a budget by one answer at most. */
  unbounded?: boolean;
}

export type Refusal =
  | {
      kind: 'budget';
      scope: { tool: string | null; period: 'day' | 'month' };
      limitUsd: number;
      spentUsd: number;
      resetsAt: Date;
      message: string;
      /** The scope has room but an unbounded request is in flight against it: retry after this. */
      retryAfterMs?: number;
    }
  | {
      kind: 'rate';
      metric: 'requests' | 'tokens';
      limit: number;
      retryAfterMs: number;
      headers: Record<string, string>;
      message: string;
    };

export interface Reservation {
  /** OpenAI-style x-ratelimit-* headers for a successful response (only for limits the tool has). */
  readonly headers: Record<string, string>;
  /** Mid-stream: 'over' once spend + this running cost (+ other outstanding reservations) has
   *  passed a budget, so the pipeline ends the stream cleanly. Exactly at the limit is still 'ok'. */
  check(runningUsd: number): 'ok' | 'over';
  /** Replace the reservation with the actual outcome. Call AFTER ledger.append so spend moves from
   *  "reserved" to "spent" in the same tick. costUsd null = unpriced. Later calls are no-ops.
   *  `unread`: the answer was not read in full and is charged as the provider may have billed it
   *  (charge-unread.ts), so `tokens` (what Shimmy saw) may fall short: TPM keeps at least the
   *  estimate the request was admitted with. */
  settle(actual: { costUsd: number | null; tokens: number; unread?: boolean }): void;
  /** Request never went out: drop the USD reservation and the token estimate; the request
   *  itself still counts for RPM. Later calls are no-ops. */
  release(): void;
}

export interface BudgetPeriodState {
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
}

export type Admission = { ok: true; reservation: Reservation } | { ok: false; refusal: Refusal };

/** The limit state behind the proxy, one of two engines beside each other: in memory (one process,
 *  synchronous: limiter.ts) or in Redis (several replicas, each call one atomic Lua script:
 *  redis/redis-limiter.ts). admit and headroomUsd answer directly from memory and with a promise
 *  from Redis; a promise that rejects with LimitsUnavailableError means the shared state cannot be
 *  reached, and the request is refused (503), never let through unchecked. */
export interface Limiter {
  admit(tool: Tool, req: AdmitRequest): Admission | Promise<Admission>;
  /** USD the tightest budget over the tool (its own and the global ones, day and month) has left
   *  after spend and outstanding reservations; undefined when no USD budget applies. Read just
   *  before admit(), it sizes a request's output to what is left (output-cap.ts); admit() still
   *  checks the result atomically. */
  headroomUsd(tool: Tool): number | undefined | Promise<number | undefined>;
  /** Requests and tokens of a tool in the current sliding minute (dashboard; Redis: as last seen). */
  rateUse(tool: Tool): { requests: number; tokens: number };
  /** Remaining-budget view for the dashboard and tray: per tool (or global for null), day and month. */
  budgetState(tool: Tool | null): { day?: BudgetPeriodState; month?: BudgetPeriodState };
  /** Lets go of the engine's connections (Redis); nothing to do in memory. */
  close?(): Promise<void>;
}

/** The in-memory engine: every answer in the same tick. */
export interface SyncLimiter extends Limiter {
  admit(tool: Tool, req: AdmitRequest): Admission;
  headroomUsd(tool: Tool): number | undefined;
}

/** The shared limit state cannot be reached (Redis down): the caller refuses with 503. */
export class LimitsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimitsUnavailableError';
  }
}
