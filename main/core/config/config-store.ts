// Where the config (providers, tools and their token hashes, limits, routes, settings, prices)
// is kept, behind one interface: config.json in the data dir (file-config-store.ts, the default)
// or one versioned document in Postgres shared by replicas (postgres-config-store.ts).
import type { Config } from '../../../shared/config.js';

export interface ConfigStore {
  /** The current config. Treat as read-only: change it through `update`. */
  get(): Config;
  /** Applies a change to a copy, validates it, stores it atomically, then makes it current.
   *  `change` may run more than once (a shared store re-applies it to a newer config when another
   *  replica changed it first), so it must only change the draft. */
  update(change: (draft: Config) => void): Promise<Config>;
  /** Called after every change made current: this instance's updates and, on a shared store,
   *  other replicas' (token index, events). */
  onChange(listener: (config: Config) => void): void;
  /** Waits for writes in progress and stops watching for other replicas' changes. */
  close(): Promise<void>;
}

export { ConfigError } from './config-document.js';
export { openConfigStore, readConfigFile } from './file-config-store.js';
