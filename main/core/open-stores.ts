// The config and the ledger's engine, opened together because where one lives decides the other:
// with a Postgres database both are there, shared by every replica; otherwise config.json and
// the SQLite file in the data dir (config first, so a config.json Shimmy refuses leaves no
// ledger file behind).
import type { ConfigStore } from './config/config-store.js';
import { openConfigStore } from './config/config-store.js';
import { changedSections } from './config/config-document.js';
import type { EventBus } from './events/event-bus.js';
import { isPostgresUrl, openLedgerEngine, redactDatabase, type LedgerEngine } from './store/index.js';

export async function openStores(opts: {
  dataDir: string;
  /** A Postgres URL or the SQLite file's path. */
  database: string;
  events: EventBus;
  log: (entry: Record<string, unknown>) => void;
}): Promise<{ config: ConfigStore; engine: LedgerEngine }> {
  if (!isPostgresUrl(opts.database)) {
    const config = await openConfigStore(opts.dataDir);
    return { config, engine: await openLedgerEngine(opts.database) };
  }
  const engine = await openLedgerEngine(opts.database);
  try {
    // Loaded only with a Postgres database: its LISTEN client is `pg`, not worth a SQLite start.
    const { openPostgresConfigStore } = await import('./config/postgres-config-store.js');
    const config = await openPostgresConfigStore({
      db: engine.writer,
      url: opts.database,
      where: redactDatabase(opts.database),
      dataDir: opts.dataDir,
      log: opts.log,
      // Dashboards on this replica refetch what another replica changed.
      onRemoteChange: (before, after) =>
        changedSections(before, after).forEach((what) => opts.events.emit({ type: 'config', what })),
    });
    return { config, engine };
  } catch (err) {
    await engine.close();
    throw err;
  }
}
