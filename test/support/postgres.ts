// A real, throwaway Postgres for tests: Debian's binaries, a cluster in a temp dir, on a free
// loopback port, trust auth, stopped by PID. Postgres refuses to run as root, so as root the
// cluster belongs to the `postgres` user (runuser). Undefined (with the reason) when not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgres } from '../../main/core/store/index.js';

export interface TestPostgres {
  /** URL of the maintenance database `postgres`. */
  url: string;
  /** A URL for database `name`, created empty on first use. */
  database(name: string): Promise<string>;
  /**
   * A URL for database `name`, created on first use as a copy (CREATE DATABASE … TEMPLATE) of one
   * the ledger's current migrations ran on, made once per server: migrating each test's database
   * from nothing was ~0.3 s. A database already made (a test's bare one, left at an old version)
   * is never replaced.
   */
  migratedDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin')).find((d) => existsSync(join(d, 'initdb')));
}

export const postgresMissing: string | undefined = binDir()
  ? undefined
  : "Postgres is not installed (/usr/lib/postgresql/*/bin/initdb); CI installs Debian's postgresql package";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function uidOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user]).toString());
  const gid = Number(execFileSync('id', ['-g', user]).toString());
  return { uid, gid };
}

type Run = (cmd: string, args: string[]) => void;

/** A temp dir the cluster's user owns. */
function ownedTempDir(prefix: string, asRoot: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const { uid, gid } = uidOf('postgres');
    chownSync(dir, uid, gid);
  }
  return dir;
}

/**
 * A freshly initdb'd data dir, made once per machine (per Postgres version and initdb arguments)
 * and only read after: each server copies it. initdb was ~1.3 s of CPU in every test file that
 * starts a Postgres (about 20 of them); the copy (~40 MB) takes ~0.1 s. Made aside and renamed into
 * place, so a worker racing another, or one killed mid-way, never leaves a half-made one.
 */
function initializedCluster(bin: string, asRoot: boolean, run: Run): string {
  const args = ['-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'];
  const key = createHash('sha256')
    .update(JSON.stringify([bin, args, process.getuid?.()]))
    .digest('hex')
    .slice(0, 16);
  const cluster = join(tmpdir(), `shimmy-pg-initdb-${key}`);
  if (existsSync(join(cluster, 'PG_VERSION'))) return cluster;
  const aside = ownedTempDir('shimmy-pg-initdb-', asRoot);
  try {
    run('initdb', ['-D', join(aside, 'data'), ...args]);
    try {
      renameSync(join(aside, 'data'), cluster);
    } catch (err) {
      // Another worker put its copy there first: use that one.
      if (!existsSync(join(cluster, 'PG_VERSION'))) throw err;
    }
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
  return cluster;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  if (!bin) throw new Error(postgresMissing);
  const asRoot = process.getuid?.() === 0;
  const run: Run = (cmd, args) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args;
    const r = spawnSync(asRoot ? 'runuser' : join(bin, cmd), argv, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  const cluster = initializedCluster(bin, asRoot, run);
  const dir = ownedTempDir('shimmy-pg-', asRoot);
  const data = join(dir, 'data');
  const port = await freePort();
  // -a keeps the owner (the `postgres` user, as root) and the data dir's mode 0700 Postgres demands.
  execFileSync('cp', ['-a', cluster, data]);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=60`,
    'start',
  ]);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const created = new Set<string>();
  let migrated: Promise<string> | undefined;
  const server: TestPostgres = {
    url,
    async migratedDatabase(name) {
      migrated ??= (async () => {
        const template = 't_migrated_template';
        const engine = await openPostgres(await create(template));
        await engine.close();
        return template;
      })();
      return create(name, await migrated);
    },
    database: (name) => create(name),
    async stop() {
      try {
        // "Immediate" shutdown: ends sessions and skips the shutdown checkpoint ("fast", SIGINT,
        // writes every dirty buffer first: ~1 s here), as the cluster is deleted right after.
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
      for (let i = 0; i < 500; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  async function create(name: string, template?: string): Promise<string> {
    const db = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    if (!created.has(db)) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${db}${template ? ` TEMPLATE ${template}` : ''}`);
      } finally {
        await c.end();
      }
      created.add(db);
    }
    return `postgres://postgres@127.0.0.1:${port}/${db}`;
  }
  return server;
}
