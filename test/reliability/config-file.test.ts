// State is never silently destroyed: a config.json Shimmy cannot use stops the start with a message
// naming the file and the problem (and a backup copy), unknown fields survive writes, the file is
// not rewritten on start, and the data dir is owner-only on every start.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { ConfigError, openConfigStore } from '../../main/core/config/config-store.js';
import { lockDataDir } from '../../main/core/config/data-dir-lock.js';
import { makeDirOwnerOnly, makeOwnerOnly } from '../../main/core/config/owner-only.js';
import { startCore } from '../../main/core/start-core.js';
import { cliEnv, freePort } from '../support/cli-process.js';
import { spawnServe, tempDir } from './serve-fixture.js';

const quiet = { port: 0, keychain: null, log: () => undefined } as const;
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

async function dirWithConfig(text: string): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  dirs.push(dir);
  const file = path.join(dir, 'config.json');
  await fs.writeFile(file, text);
  return { dir, file };
}

describe('a config.json that is not valid', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['the literal null', 'null', /holds null/],
    ['bad JSON', '{"version": 1, "tools": [', /not JSON/],
    ['a schema error', JSON.stringify({ version: 1, tools: 'every tool' }), /tools: /],
    ['an array', '[]', /an array/],
  ];
  for (const [name, text, problem] of cases) {
    it(`refuses to start on ${name}, names the file, keeps it and a backup`, async () => {
      const { dir, file } = await dirWithConfig(text);
      const err = await startCore({ dataDir: dir, ...quiet }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(problem);
      expect(await fs.readFile(file, 'utf8')).toBe(text);
      const backups = (await fs.readdir(dir)).filter((f) => f.startsWith('config.json.invalid-'));
      expect(backups).toHaveLength(1);
      expect(await fs.readFile(path.join(dir, backups[0]!), 'utf8')).toBe(text);
      // The lock was given back: a fixed file starts.
      await fs.rm(file);
      const core = await startCore({ dataDir: dir, ...quiet });
      await core.close();
    });
  }

  it('`shimmy serve` exits 2 with the file and the problem on stderr', { timeout: 60_000 }, async () => {
    const { dir, file } = await dirWithConfig('null');
    const p = spawnServe({ dataDir: dir, port: await freePort(), env: cliEnv().env });
    p.listening.catch(() => undefined);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain(file);
    expect(p.stderr()).toContain('holds null');
  });
});

describe('config.json kept as it is', () => {
  it('keeps fields a newer version wrote through every write', async () => {
    const future = {
      version: 1,
      futureTopLevel: { keep: true },
      providers: [
        {
          name: 'openai',
          kind: 'openai',
          baseUrl: 'https://api.openai.com/v1',
          builtin: true,
          isDefault: true,
          region: 'eu',
        },
      ],
      tools: [],
      routes: [],
      settings: { retentionDays: 7, futureSetting: 'x' },
      prices: {},
    };
    const { dir, file } = await dirWithConfig(JSON.stringify(future));
    const core = await startCore({ dataDir: dir, ...quiet });
    try {
      const admin = await connectAdmin(dir);
      await admin.call('createTool', { body: { name: 'aider', limits: { dailyUsd: 1 } } });
      await admin.call('patchSettings', { body: { retentionDays: 9 } });
      const written = JSON.parse(await fs.readFile(file, 'utf8'));
      expect(written.futureTopLevel).toEqual({ keep: true });
      expect(written.settings.futureSetting).toBe('x');
      expect(written.settings.retentionDays).toBe(9);
      expect(written.providers.find((p: { name: string }) => p.name === 'openai').region).toBe('eu');
      expect(written.tools.map((t: { name: string }) => t.name)).toEqual(['aider']);
    } finally {
      await core.close();
    }
  });

  it('does not rewrite the file on start', async () => {
    const { dir, file } = await dirWithConfig(JSON.stringify({ version: 1, settings: { retentionDays: 7 } }));
    const before = await fs.stat(file);
    const text = await fs.readFile(file, 'utf8');
    const core = await startCore({ dataDir: dir, ...quiet });
    await core.close();
    const after = await fs.stat(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
  });

  // A full disk needs a small tmpfs, which only root can mount.
  const canMount = process.getuid?.() === 0 && process.platform === 'linux';
  it.skipIf(!canMount)(
    'lock, modes and config open on a full disk with no write (tmpfs, root only)',
    async () => {
      const mnt = await tempDir('shimmy-full-');
      dirs.push(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
      try {
        const dataDir = path.join(mnt, 'data');
        // A first start lays the data dir out; then the disk is filled to the last byte.
        const first = await startCore({ dataDir, ...quiet });
        await first.close();
        await fs.writeFile(path.join(dataDir, 'config.json'), JSON.stringify({ version: 1, settings: {} }));
        const filler = await fs.open(path.join(mnt, 'filler'), 'w');
        const chunk = Buffer.alloc(64 * 1024);
        for (let i = 0; i < 1000; i++) {
          const ok = await filler.write(chunk).then(
            () => true,
            () => false,
          );
          if (!ok) break;
        }
        for (let i = 0; i < 64 * 1024; i++) {
          const ok = await filler.write(Buffer.alloc(1)).then(
            () => true,
            () => false,
          );
          if (!ok) break;
        }
        await filler.close();
        await expect(fs.writeFile(path.join(mnt, 'probe'), 'x')).rejects.toThrow(/ENOSPC/);
        // What start-up does before the ledger opens: the lock, the modes, the config. (The SQLite
        // ledger cannot open on a full disk — it must create its WAL files — which is the ledger's.)
        const configText = await fs.readFile(path.join(dataDir, 'config.json'), 'utf8');
        const lock = await lockDataDir(dataDir);
        expect(lock.held).toBe(true);
        await makeDirOwnerOnly(dataDir);
        expect((await makeOwnerOnly(dataDir)).failed).toEqual([]);
        const config = await openConfigStore(dataDir);
        expect(config.get().settings.retentionDays).toBe(30);
        expect(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8')).toBe(configText);
        await lock.release();
      } finally {
        execFileSync('umount', ['-l', mnt]);
      }
    },
  );
});

describe('owner-only data dir', () => {
  it('tightens an existing data dir and every file in it on start', async () => {
    if (process.platform === 'win32') return;
    const dir = await tempDir();
    dirs.push(dir);
    const files = ['config.json', 'prices.json', 'ledger/x.jsonl', 'cache/ab/entry.json', 'bodies/b.json'];
    for (const f of files) {
      await fs.mkdir(path.dirname(path.join(dir, f)), { recursive: true, mode: 0o755 });
      await fs.writeFile(path.join(dir, f), f === 'config.json' ? JSON.stringify({ version: 1 }) : '{}', {
        mode: 0o644,
      });
      await fs.chmod(path.join(dir, f), 0o644);
    }
    for (const d of ['', 'ledger', 'cache', 'cache/ab', 'bodies']) await fs.chmod(path.join(dir, d), 0o755);
    const core = await startCore({ dataDir: dir, ...quiet });
    await core.close();
    for (const f of files)
      expect(((await fs.stat(path.join(dir, f))).mode & 0o777).toString(8), f).toBe('600');
    for (const d of ['', 'ledger', 'cache', 'cache/ab', 'bodies'])
      expect(((await fs.stat(path.join(dir, d))).mode & 0o777).toString(8), d || 'data dir').toBe('700');
  });

  it('walks what is under the data dir after the port opens, at the first quiet moment', async () => {
    // Before the first answer that walk took ~100 ms of the main thread with a 5,000-entry cache
    // (issue 16); the dir itself is 0700 at once, so nothing under it is reachable meanwhile.
    if (process.platform === 'win32') return;
    const dir = await tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'cache', 'old-entry.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{}');
    await fs.chmod(file, 0o644);
    await fs.chmod(dir, 0o755);
    const modeOf = async (p: string) => ((await fs.stat(p)).mode & 0o777).toString(8);
    let whenWired: string | undefined;
    const core = await startCore({
      dataDir: dir,
      ...quiet,
      // Called as the request path is wired, after the stores, ledger and catalog have opened.
      proxyDeps: (deps) => {
        whenWired = (statSync(file).mode & 0o777).toString(8);
        return deps;
      },
    });
    try {
      expect(await modeOf(dir)).toBe('700');
      expect(whenWired).toBe('644');
      await expect.poll(() => modeOf(file), { timeout: 40_000, interval: 50 }).toBe('600');
    } finally {
      await core.close();
    }
  });
});
