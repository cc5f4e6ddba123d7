// The team server's config: one document per database (table config_document, JSONB) that every
// replica reads and writes. A change is applied to the newest revision and stored only if nobody
// stored another one since (UPDATE … WHERE revision = the one it was applied to); when somebody
// did, the newer document is loaded and the change applied again, so concurrent edits on several
// replicas never lose each other. Provider keys never come here (keychain or SHIMMY_KEY_*), and
// tools carry token hashes only, as in config.json.
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../../shared/config.js';
import type { LedgerSchema } from '../store/schema.js';
import { applyChange, ConfigError, initialConfig, validateConfig } from './config-document.js';
import type { ConfigStore } from './config-store.js';
import { CONFIG_CHANNEL, watchConfig } from './config-watch.js';
import { CONFIG_FILE, readConfigFile } from './file-config-store.js';
import path from 'node:path';
import fs from 'node:fs/promises';

interface ConfigDocumentTable {
  id: string;
  revision: number;
  doc: unknown;
  updated_ms: number;
}
/** One database is one deployment; the key leaves room for more without a migration. */
const ID = 'default';
/** Far more than replicas editing at once; reaching it means something keeps rewriting the row. */
const MAX_ATTEMPTS = 50;

export interface PostgresConfigOptions {
  /** The ledger engine's connection pool (migrations have already run). */
  db: Kysely<LedgerSchema>;
  /** For the connection that LISTENs. */
  url: string;
  /** The database as logs may show it (no password). */
  where: string;
  /** Whose config.json is imported when the database has no config yet. */
  dataDir: string;
  log: (entry: Record<string, unknown>) => void;
  /** Another replica's change was made current here. */
  onRemoteChange?: (before: Config, after: Config) => void;
  pollMs?: number;
  listen?: boolean;
}

export async function openPostgresConfigStore(opts: PostgresConfigOptions): Promise<ConfigStore> {
  const db = opts.db.withTables<{ config_document: ConfigDocumentTable }>();
  const load = () =>
    db.selectFrom('config_document').select(['revision', 'doc']).where('id', '=', ID).executeTakeFirst();

  let row = await load();
  if (!row) row = await importFirst(db, opts);
  else if (await exists(path.join(opts.dataDir, CONFIG_FILE)))
    opts.log({
      info: `the config is read from ${opts.where}; ${path.join(opts.dataDir, CONFIG_FILE)} is not used`,
    });
  const first = validateConfig(row.doc);
  if ('problem' in first)
    throw new ConfigError(
      `the config stored in ${opts.where} (table config_document) is not valid: ${first.problem}. Shimmy did not start and did not change it.`,
    );

  let current = first.config;
  let stored = row.doc;
  let revision = row.revision;
  const listeners: ((c: Config) => void)[] = [];
  const makeCurrent = (config: Config, doc: unknown, rev: number) => {
    current = config;
    stored = doc;
    revision = rev;
    for (const l of listeners) l(config);
  };

  /** Adopts the newest revision if it is newer than ours. */
  async function doRefresh(): Promise<void> {
    const newer = await db
      .selectFrom('config_document')
      .select(['revision', 'doc'])
      .where('id', '=', ID)
      .where('revision', '>', revision)
      .executeTakeFirst();
    if (!newer || newer.revision <= revision) return;
    const valid = validateConfig(newer.doc);
    if ('problem' in valid)
      throw new ConfigError(`the config stored in ${opts.where} is not valid: ${valid.problem}`);
    const before = current;
    makeCurrent(valid.config, newer.doc, newer.revision);
    opts.onRemoteChange?.(before, valid.config);
  }
  // Notifications come in bursts: one load runs at a time, and calls meanwhile share the next one.
  let running: Promise<void> = Promise.resolve();
  let pending: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (pending) return pending;
    const next = running.then(() => {
      pending = undefined;
      return doRefresh();
    });
    pending = next;
    running = next.catch(() => undefined);
    return next;
  };

  /** Stores `full` as the revision after `base`; undefined when another replica got there first. */
  const store = (base: number, full: unknown) =>
    db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('config_document')
        .set({
          revision: sql`revision + 1`,
          doc: sql`${JSON.stringify(full)}::jsonb`,
          updated_ms: Date.now(),
        })
        .where('id', '=', ID)
        .where('revision', '=', base)
        .returning('revision')
        .executeTakeFirst();
      // Delivered to every listener when (and only if) this transaction commits.
      if (r) await sql`select pg_notify(${CONFIG_CHANNEL}, ${String(r.revision)})`.execute(trx);
      return r?.revision;
    });

  // This replica's own writes run one at a time; other replicas are handled by the revision check.
  let queue: Promise<unknown> = Promise.resolve();
  const watch = await watchConfig({
    url: opts.url,
    refresh,
    log: opts.log,
    ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
    ...(opts.listen !== undefined ? { listen: opts.listen } : {}),
  });

  return {
    get: () => current,
    onChange: (l) => listeners.push(l),
    update(change) {
      const run = async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const base = revision;
          const { next, full } = applyChange(current, stored, change);
          const stored_ = await store(base, full);
          if (stored_ !== undefined) {
            // A notification of this very write may have been adopted meanwhile (or a later one).
            if (stored_ > revision) makeCurrent(next, full, stored_);
            return next;
          }
          await refresh();
        }
        throw new ConfigError(
          `the config in ${opts.where} could not be saved: it changed ${MAX_ATTEMPTS} times while this change was applied`,
        );
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      await watch.close();
      await queue;
      await running;
    },
  };
}

const exists = (file: string) =>
  fs.stat(file).then(
    () => true,
    () => false,
  );

/** First start against a database with no config: the data dir's config.json (checked as strictly
 *  as on a laptop) goes in once, or a new config. Replicas starting together: one insert wins. */
async function importFirst(
  db: Kysely<{ config_document: ConfigDocumentTable }>,
  opts: PostgresConfigOptions,
): Promise<{ revision: number; doc: unknown }> {
  const file = await readConfigFile(opts.dataDir);
  const doc = file?.raw ?? initialConfig();
  const inserted = await db
    .insertInto('config_document')
    .values({ id: ID, revision: 1, doc: sql`${JSON.stringify(doc)}::jsonb`, updated_ms: Date.now() })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('revision')
    .executeTakeFirst();
  if (inserted && file)
    opts.log({
      info: `imported ${path.join(opts.dataDir, CONFIG_FILE)} into ${opts.where} (once; the file is not used from now on)`,
      tools: file.config.tools.length,
      tokens: file.config.tools.reduce((n, t) => n + t.tokens.length, 0),
    });
  // Where it looked, so an import that did not happen can be traced (a container whose data dir
  // is not the mount the file was copied into: README, Team gateway).
  else if (inserted)
    opts.log({
      info: `a new config was created in ${opts.where} (no ${path.join(opts.dataDir, CONFIG_FILE)} to import)`,
    });
  const row = await db
    .selectFrom('config_document')
    .select(['revision', 'doc'])
    .where('id', '=', ID)
    .executeTakeFirstOrThrow();
  return row;
}
