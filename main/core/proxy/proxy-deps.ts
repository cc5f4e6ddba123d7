// What the request path is given: every store and client it talks to, passed in (never imported),
// so tests run the real path against a loopback upstream.
import type { Config } from '../../../shared/config.js';
import type { ToolAuth } from '../auth/tool-auth.js';
import type { BodyLog } from '../body-log/body-log.js';
import type { ResponseCache } from '../cache/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { Ledger } from '../ledger/index.js';
import type { Limiter } from '../limits/index.js';
import type { ServedTiers } from '../limits/served-tiers.js';
import type { StoredResponses } from '../limits/stored-responses.js';
import type { PlanTracker } from '../plans/plan-tracker.js';
import type { Prices } from '../pricing/index.js';
import type { KeyHealth } from '../upstream/key-health.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import type { Vault } from '../vault/vault.js';

export interface ProxyDeps {
  config: () => Config;
  auth: ToolAuth;
  vault: Vault;
  limiter: Limiter;
  ledger: Ledger;
  prices: Prices;
  /** Latest subscription-plan utilization, read from plan answers. */
  plans: PlanTracker;
  /** The tier each provider serves requests that name none at, as its answers said. */
  servedTiers: ServedTiers;
  /** The answers relayed (Responses ids), for what a continuation of one brings as input. */
  storedResponses: StoredResponses;
  events: EventBus;
  upstream: UpstreamClient;
  keyHealth: KeyHealth;
  cache: ResponseCache;
  bodyLog: BodyLog;
  now: () => Date;
  /** One structured line per request; never given a secret. */
  log: (entry: Record<string, unknown>) => void;
}
