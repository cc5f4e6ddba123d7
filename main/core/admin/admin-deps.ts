import type { ConfigStore } from '../config/config-store.js';
import type { EventBus } from '../events/event-bus.js';
import type { Ledger } from '../ledger/index.js';
import type { Limiter } from '../limits/index.js';
import type { Price } from '../../../shared/prices.js';
import type { PlanTracker } from '../plans/plan-tracker.js';
import type { PriceCatalogService, Prices } from '../pricing/index.js';
import type { Vault } from '../vault/vault.js';
import type { Sessions } from './sessions.js';
import type { ResponseCache } from '../cache/index.js';
import type { KeyHealth } from '../upstream/key-health.js';
import type { BodyLog } from '../body-log/body-log.js';

export interface AdminDeps {
  config: ConfigStore;
  vault: Vault;
  ledger: Ledger;
  limiter: Limiter;
  prices: Prices;
  plans: PlanTracker;
  /** The catalog in use, its status and refresh. */
  priceCatalog: PriceCatalogService;
  /** An older version's prices.json (LiteLLM-derived), still honoured by exact name. */
  legacyPrices: () => Record<string, Price>;
  events: EventBus;
  sessions: Sessions;
  keyHealth: KeyHealth;
  cache: ResponseCache;
  bodyLog: BodyLog;
  adminSecret: string;
  info: () => { url: string; port: number };
  rendererDir: string;
  now: () => Date;
  /** The data dir (agent config backups live in it). */
  dataDir?: string;
  /** HOME and the agents' own variables, for the agent config files connect writes (default: process.env). */
  agentEnv?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}
