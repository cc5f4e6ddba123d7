// The team config store on a real Postgres: several stores (as replicas would) on one database.
// A first start imports the data dir's config.json once; changes reach the other store through
// NOTIFY, or through the poll when nothing is listening; concurrent edits from both keep each
// other; a stored document that is not valid stops the start.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../shared/config.js';
import { mintToken } from '../../../main/core/auth/tokens.js';
import { ConfigError, type ConfigStore } from '../../../main/core/config/config-store.js';
import { openPostgresConfigStore } from '../../../main/core/config/postgres-config-store.js';
import { openPostgres, type LedgerEngine } from '../../../main/core/store/index.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../../support/postgres.js';

let pg: TestPostgres;
let dbCount = 0;
const opened: Array<{ close(): Promise<void> }> = [];
const dirs: string[] = [];

beforeAll(async () => {
  if (!postgresMissing) pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
}, 30_000);
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-pgcfg-'));
  dirs.push(d);
  return d;
}

/** A database of its own; `migrated` (every test but the one of replicas starting on an empty
 *  database) copies one the ledger's migrations already ran on, as the first replica would. */
async function newDatabase(migrated = true): Promise<string> {
  const name = `cfg_${process.pid}_${++dbCount}`;
  return migrated ? pg.migratedDatabase(name) : pg.database(name);
}

interface Replica {
  store: ConfigStore;
  engine: LedgerEngine;
  logs: Array<Record<string, unknown>>;
  remote: Config[];
}

async function replica(
  url: string,
  dataDir?: string,
  over: { pollMs?: number; listen?: boolean } = {},
): Promise<Replica> {
  const engine = await openPostgres(url);
  opened.push(engine);
  const logs: Array<Record<string, unknown>> = [];
  const remote: Config[] = [];
  const store = await openPostgresConfigStore({
    db: engine.writer,
    url,
    where: 'the test database',
    dataDir: dataDir ?? (await tempDir()),
    log: (e) => logs.push(e),
    onRemoteChange: (_before, after) => remote.push(after),
    ...over,
  });
  opened.push(store);
  return { store, engine, logs, remote };
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - start;
}

const toolNamed = (name: string, token = mintToken({ now: new Date(), label: 'main' }).record) => ({
  name,
  createdAt: new Date().toISOString(),
  paused: false,
  limits: {},
  tokens: [token],
});

describe.skipIf(postgresMissing)('config in Postgres', () => {
  it('imports the data dir config.json once (tools, token hashes, settings, unknown fields) and says so', async () => {
    const url = await newDatabase();
    const dir = await tempDir();
    const { record } = mintToken({ now: new Date(), label: 'main' });
    await fs.writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        version: 1,
        tools: [{ ...toolNamed('aider', record), limits: { dailyUsd: 5 }, fromTheFuture: 'kept' }],
        settings: { retentionDays: 45 },
        newerField: { a: 1 },
      }),
    );
    const a = await replica(url, dir);
    expect(a.store.get().tools.map((t) => t.name)).toEqual(['aider']);
    expect(a.store.get().tools[0]!.tokens[0]!.hash).toBe(record.hash);
    expect(a.store.get().settings.retentionDays).toBe(45);
    expect(a.logs.some((l) => /imported .*config\.json into the test database/.test(String(l.info)))).toBe(
      true,
    );

    // The file changes afterwards: a second start does not import it again.
    await fs.writeFile(path.join(dir, 'config.json'), JSON.stringify({ version: 1, tools: [] }));
    const b = await replica(url, dir);
    expect(b.store.get().tools.map((t) => t.name)).toEqual(['aider']);
    expect(b.logs.some((l) => /imported/.test(String(l.info)))).toBe(false);
    expect(b.logs.some((l) => /is not used/.test(String(l.info)))).toBe(true);

    // Fields this version does not know survive a write.
    await b.store.update((c) => void (c.settings.retentionDays = 60));
    const { rows } = await rawDoc(b.engine);
    expect(rows.newerField).toEqual({ a: 1 });
    expect((rows.tools as Array<Record<string, unknown>>)[0]!.fromTheFuture).toBe('kept');
  });

  it('a change on one replica is current on the other within milliseconds (NOTIFY), and onChange fires', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    const b = await replica(url);
    const seen: Config[] = [];
    b.store.onChange((c) => seen.push(c));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await a.store.update((c) => void c.tools.push(toolNamed(`t${i}`)));
      times.push(await until(() => b.store.get().tools.length === i + 1, 900));
    }
    expect(seen.length).toBe(5);
    expect(b.remote.map((c) => c.tools.length)).toEqual([1, 2, 3, 4, 5]);
    console.log(
      `config change seen by the other replica after (ms): ${times.map((t) => t.toFixed(1)).join(', ')}`,
    );
  });

  it('without notifications the poll brings the change within its period', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    const b = await replica(url, undefined, { listen: false, pollMs: 150 });
    await a.store.update((c) => void (c.settings.paused = true));
    const ms = await until(() => b.store.get().settings.paused, 150 + 500);
    console.log(`seen through the poll after ${ms.toFixed(0)} ms (period 150 ms)`);
  });

  it('a lost listening connection: the poll bridges the gap, and LISTEN comes back', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    const b = await replica(url, undefined, { pollMs: 200 });
    const listeners = async () =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from pg_stat_activity where query = 'LISTEN shimmy_config'`.execute(
            a.engine.writer,
          )
        ).rows[0]!.n,
      );
    expect(await listeners()).toBe(2);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN shimmy_config'`.execute(
      a.engine.writer,
    );
    await a.store.update((c) => void c.tools.push(toolNamed('while-down')));
    await until(() => b.store.get().tools.length === 1, 200 + 500);
    // Both stores listen again after their reconnect delay, and notifications flow again.
    await until(() => false, 1500).catch(() => undefined);
    expect(await listeners()).toBe(2);
    await a.store.update((c) => void c.tools.push(toolNamed('after')));
    await until(() => b.store.get().tools.length === 2, 150);
  });

  it('concurrent edits on two replicas keep every change', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    const b = await replica(url);
    const edits: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      edits.push(a.store.update((c) => void c.tools.push(toolNamed(`a${i}`))));
      edits.push(b.store.update((c) => void c.tools.push(toolNamed(`b${i}`))));
    }
    edits.push(a.store.update((c) => void (c.settings.retentionDays = 7)));
    edits.push(b.store.update((c) => void (c.settings.cacheEnabled = true)));
    await Promise.all(edits);
    // Each replica's last write may still be on its way to the other one.
    const settled = (r: Replica) =>
      r.store.get().tools.length === 30 &&
      r.store.get().settings.cacheEnabled &&
      r.store.get().settings.retentionDays === 7;
    await until(() => settled(a) && settled(b), 2000).catch(() => undefined);
    for (const r of [a, b]) {
      expect(new Set(r.store.get().tools.map((t) => t.name)).size).toBe(30);
      expect(r.store.get().settings.retentionDays).toBe(7);
      expect(r.store.get().settings.cacheEnabled).toBe(true);
    }
    const { revision } = await rawDoc(a.engine);
    expect(revision).toBe(1 + 32);
  });

  it('a change that another replica made impossible is refused, not applied twice', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    const b = await replica(url, undefined, { listen: false, pollMs: 60_000 });
    await a.store.update((c) => void c.tools.push(toolNamed('only')));
    // b has not heard of it yet; its change runs again on the newer config and sees the name taken.
    const add = b.store.update((c) => {
      if (c.tools.some((t) => t.name === 'only')) throw new Error('taken');
      c.tools.push(toolNamed('only'));
    });
    await expect(add).rejects.toThrow('taken');
    expect(b.store.get().tools.map((t) => t.name)).toEqual(['only']);
  });

  it('two replicas starting on an empty database create one config', async () => {
    const url = await newDatabase(false);
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    for (const [dir, name] of [
      [dirA, 'from-a'],
      [dirB, 'from-b'],
    ] as const)
      await fs.writeFile(
        path.join(dir, 'config.json'),
        JSON.stringify({ version: 1, tools: [toolNamed(name)] }),
      );
    const [a, b] = await Promise.all([replica(url, dirA), replica(url, dirB)]);
    expect(a.store.get().tools.map((t) => t.name)).toEqual(b.store.get().tools.map((t) => t.name));
    expect([...a.logs, ...b.logs].filter((l) => /imported/.test(String(l.info)))).toHaveLength(1);
  });

  it('refuses to start on a stored config that is not valid, naming the table', async () => {
    const url = await newDatabase();
    const a = await replica(url);
    await a.engine.writer
      .withTables<{ config_document: { id: string; doc: string } }>()
      .updateTable('config_document')
      .set({ doc: JSON.stringify({ version: 1, tools: 'every tool' }) })
      .execute();
    const err = await replica(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(String(err)).toMatch(/config_document.*tools: /);
  });
});

async function rawDoc(engine: LedgerEngine): Promise<{ revision: number; rows: Record<string, unknown> }> {
  const row = await engine.writer
    .withTables<{ config_document: { id: string; revision: number; doc: Record<string, unknown> } }>()
    .selectFrom('config_document')
    .select(['revision', 'doc'])
    .executeTakeFirstOrThrow();
  return { revision: row.revision, rows: row.doc };
}
