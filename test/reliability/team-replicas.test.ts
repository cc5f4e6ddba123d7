// A team server: two real `shimmy serve` processes (separate data dirs) on one real Postgres
// (SHIMMY_DATABASE_URL). Tools, token hashes, limits and settings live in the database, so what
// one replica's admin API or CLI changes is enforced by the other: a new tool's token works there,
// a revoked one is refused there within the stated bound, settings are shared, and concurrent
// edits on both keep each other. The first replica imports its data dir's config.json once;
// neither provider keys nor plaintext tokens ever reach the database.
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import { mintToken } from '../../main/core/auth/tokens.js';
import { BUILTIN_PROVIDERS } from '../../main/core/config/builtin-providers.js';
import { CONFIG_POLL_MS } from '../../main/core/config/config-watch.js';
import { cliEnv, runCli } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../support/postgres.js';
import { chat, RELIABILITY_KEY, spawnServe, tempDir } from './serve-fixture.js';
import { freePort } from '../support/cli-process.js';

type Replica = ReturnType<typeof spawnServe> & { url: string; dataDir: string; admin: AdminClient };

let postgres: TestPostgres;
let database: string;
let upstream: FakeUpstream;
let a: Replica;
let b: Replica;
const env = { ...cliEnv().env };
const legacy = mintToken({ now: new Date(), label: 'main' });
/** Every plaintext token the tests saw: none may be stored in Postgres. */
const tokens: string[] = [legacy.token];

async function startReplica(dataDir: string): Promise<Replica> {
  const p = spawnServe({ dataDir, port: await freePort(), env: { ...env, SHIMMY_DATABASE_URL: database } });
  const url = await p.listening;
  return { ...p, url, dataDir, admin: await connectAdmin(dataDir) };
}

/** The stated bound (the poll period; NOTIFY is far faster) plus room for the test's own requests,
 *  which on a busy shared 2-core machine take up to a few hundred ms each. */
const BOUND_MS = 2 * CONFIG_POLL_MS;

/** Polls `check` every 2 ms; the time it took, or a failure after `limitMs`. */
async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

beforeAll(async () => {
  if (postgresMissing) return;
  postgres = await startPostgres();
  database = await postgres.database('team_replicas');
  upstream = await startFakeUpstream();
  // Replica A's data dir is a laptop's: providers pointed at the upstream (SHIMMY_KEY_OPENAI binds
  // to that URL), one tool with a token, a setting. The database is empty.
  const dirA = await tempDir('shimmy-team-a-');
  const baseUrl = (kind: string) => (kind === 'openai' ? `${upstream.url}/v1` : upstream.url);
  await fs.writeFile(
    path.join(dirA, 'config.json'),
    JSON.stringify({
      version: 1,
      providers: BUILTIN_PROVIDERS.map((p) => ({ ...p, baseUrl: baseUrl(p.kind) })),
      tools: [
        {
          name: 'legacy',
          createdAt: new Date().toISOString(),
          paused: false,
          limits: {},
          tokens: [legacy.record],
        },
      ],
      settings: { retentionDays: 45 },
    }),
    { mode: 0o600 },
  );
  a = await startReplica(dirA);
  // B starts with an empty data dir: everything it knows comes from the database.
  b = await startReplica(await tempDir('shimmy-team-b-'));
}, 120_000);

afterAll(async () => {
  for (const r of [a, b]) {
    if (!r) continue;
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
    await r.exited;
  }
  await upstream?.close();
  await postgres?.stop();
}, 60_000);

describe.skipIf(postgresMissing)('two serve replicas on one Postgres', () => {
  it('the first replica imported its config.json once and said so; the second did not', async () => {
    expect(a.stdout()).toMatch(
      /imported .*config\.json into postgres:\/\/postgres@127\.0\.0\.1:\d+\/team_replicas/,
    );
    expect(b.stdout()).not.toMatch(/imported/);
    expect((await b.admin.call('getSettings', {})).retentionDays).toBe(45);
    expect((await chat(b.url, legacy.token)).status).toBe(200);
  });

  it('a tool created on A (admin API and CLI) authenticates on B', async () => {
    const created = await a.admin.call('createTool', { body: { name: 'api-made', limits: {} } });
    tokens.push(created.token);
    const ms = await within(BOUND_MS, async () => (await chat(b.url, created.token)).status === 200);

    const cli = await runCli(['tool', 'add', 'cli-made', '--json', '--data-dir', a.dataDir], { env });
    expect(cli.code).toBe(0);
    const { token } = JSON.parse(cli.stdout) as { token: string };
    tokens.push(token);
    await within(BOUND_MS, async () => (await chat(b.url, token)).status === 200);
    console.log(`a tool created on A authenticated on B after ${ms.toFixed(1)} ms`);
  });

  it("B's dashboards are told to refetch when A changes the tools", async () => {
    const res = await b.admin.fetchRaw('/api/events');
    const reader = res.body!.getReader();
    let text = '';
    const told = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        text += new TextDecoder().decode(value);
        if (/"type":"config","what":"tools"/.test(text)) return true;
      }
    })();
    const created = await a.admin.call('createTool', { body: { name: 'watched', limits: {} } });
    tokens.push(created.token);
    const timeout = new Promise<false>((r) => setTimeout(() => r(false), BOUND_MS).unref());
    const seen = await Promise.race([told, timeout]);
    await reader.cancel();
    expect(seen).toBe(true);
  });

  it('a token revoked on A is refused on B within the bound', async () => {
    const created = await a.admin.call('createTool', { body: { name: 'revoked', limits: {} } });
    tokens.push(created.token);
    await within(BOUND_MS, async () => (await chat(b.url, created.token)).status === 200);
    const [view] = (await a.admin.call('listTools', {})).filter((t) => t.name === 'revoked');
    await a.admin.call('revokeToken', { params: { name: 'revoked', id: view!.tokens[0]!.id } });
    const ms = await within(BOUND_MS, async () => (await chat(b.url, created.token)).status === 401);
    console.log(
      `a token revoked on A was refused on B after ${ms.toFixed(1)} ms (bound ${CONFIG_POLL_MS} ms)`,
    );
    expect((await chat(a.url, created.token)).status).toBe(401);
  });

  it('a settings change on B is seen by both, and enforced on A', async () => {
    await b.admin.call('patchSettings', { body: { retentionDays: 12, paused: true } });
    await within(BOUND_MS, async () => (await a.admin.call('getSettings', {})).retentionDays === 12);
    // Paused on B: every proxied request is refused on A too.
    expect((await chat(a.url, legacy.token)).status).toBe(403);
    await a.admin.call('patchSettings', { body: { paused: false } });
    await within(BOUND_MS, async () => (await chat(b.url, legacy.token)).status === 200);
    expect((await b.admin.call('getSettings', {})).retentionDays).toBe(12);
  });

  it('concurrent edits on both replicas keep every change; one name is created once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `crowd-${i}`);
    const results = await Promise.all(
      names.map((name, i) =>
        (i % 2 ? a : b).admin.call('createTool', { body: { name, limits: { rpm: i + 1 } } }),
      ),
    );
    tokens.push(...results.map((r) => r.token));
    const dup = await Promise.allSettled([
      a.admin.call('createTool', { body: { name: 'same', limits: {} } }),
      b.admin.call('createTool', { body: { name: 'same', limits: {} } }),
    ]);
    expect(dup.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(String((dup.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
      /already exists/,
    );
    for (const r of dup) if (r.status === 'fulfilled') tokens.push(r.value.token);
    for (const r of [a, b])
      await within(BOUND_MS, async () => {
        const listed = (await r.admin.call('listTools', {})).map((t) => t.name);
        return (
          [...names, 'same'].every((n) => listed.includes(n)) &&
          listed.filter((n) => n === 'same').length === 1
        );
      });
    // Every token works on the replica that did not create it.
    for (const [i, r] of results.entries())
      expect((await chat((i % 2 ? b : a).url, r.token)).status).toBe(200);
  });

  it('the database holds token hashes only, and no provider key', async () => {
    const c = new pg.Client({ connectionString: database });
    await c.connect();
    try {
      const { rows } = await c.query<{ doc: string }>('select doc::text as doc from config_document');
      const stored = rows.map((r) => r.doc).join('\n');
      expect(stored).toContain(legacy.record.hash);
      expect(stored).not.toContain(RELIABILITY_KEY);
      for (const t of tokens) expect(stored).not.toContain(t);
    } finally {
      await c.end();
    }
  });
});
