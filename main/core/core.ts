// The handle the desktop shell (and `shimmy serve`) holds on a running core.
import type { EventBus } from './events/event-bus.js';

export interface ToolSnapshot {
  name: string;
  paused: boolean;
  todayUsd: number;
  monthUsd: number;
  dailyUsd?: number;
  monthlyUsd?: number;
  /** Spend has reached a daily or monthly budget: requests are being refused. */
  overBudget: boolean;
}

export interface CoreSnapshot {
  url: string;
  /** The whole proxy is paused (every proxied request refused). */
  paused: boolean;
  todayUsd: number;
  monthUsd: number;
  tools: ToolSnapshot[];
}

export interface Core {
  /** `http://127.0.0.1:PORT` — the base for `/v1`, `/api` and the dashboard. */
  readonly url: string;
  readonly dataDir: string;
  /** The ledger's database: the SQLite file, or the Postgres URL without its password. */
  readonly ledgerLocation: string;
  readonly events: EventBus;
  /** A fresh admin session id; the shell sets it as the `SESSION_COOKIE` cookie before loading the window. */
  createAdminSession(): string;
  /** The admin secret management commands send as `Authorization: Bearer` (also in instance.json). */
  readonly adminSecret: string;
  /** A dashboard URL carrying a one-time login token (exchanged for an HttpOnly session cookie). */
  createLoginUrl(): string;
  snapshot(): CoreSnapshot;
  setPausedAll(paused: boolean): Promise<void>;
  setToolPaused(name: string, paused: boolean): Promise<void>;
  /** Proxied requests (streams included) running now. */
  inFlight(): number;
  /** Stops accepting, lets requests in flight finish for up to `graceMs` (default: the
   *  `shutdownGraceMs` setting) or until `force` aborts, records them, then closes everything. */
  close(options?: { graceMs?: number; force?: AbortSignal }): Promise<void>;
}

export const SESSION_COOKIE = 'shimmy_session';
