// One instance per data dir: a second `serve` (or app launch) says who holds the dir and exits
// non-zero; after `kill -9` the stale lock is taken over.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirLockedError } from '../../main/core/config/data-dir-lock.js';
import { startCore } from '../../main/core/start-core.js';
import { cliEnv, freePort } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { chat, spawnServe, startServed, tempDir } from './serve-fixture.js';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

describe('two instances on one data dir', { timeout: 120_000 }, () => {
  it('a second serve names the data dir and the PID holding it, and exits 2', async () => {
    const first = await startServed({ upstream });
    try {
      const second = spawnServe({ dataDir: first.dataDir, port: await freePort(), env: cliEnv().env });
      second.listening.catch(() => undefined);
      expect(await second.exited).toBe(2);
      expect(second.stderr()).toContain(first.dataDir);
      expect(second.stderr()).toContain(`PID ${first.child.pid}`);
      // The first one is untouched.
      expect((await chat(first.url, first.token)).status).toBe(200);
    } finally {
      first.kill('SIGTERM');
      await first.exited;
    }
  });

  it('a second core in the same process is refused too', async () => {
    const dataDir = await tempDir();
    const opts = { dataDir, port: 0, keychain: null, log: () => undefined };
    const core = await startCore(opts);
    try {
      await expect(startCore(opts)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await core.close();
    }
    // Released on close: the dir opens again.
    const again = await startCore(opts);
    await again.close();
  });

  it('takes over the lock left by `kill -9`', async () => {
    const first = await startServed({ upstream });
    first.kill('SIGKILL');
    await first.exited;
    expect(await fs.readlink(path.join(first.dataDir, 'shimmy.lock')).catch(() => 'none')).toContain(
      String(first.child.pid),
    );
    const second = spawnServe({ dataDir: first.dataDir, port: await freePort(), env: cliEnv().env });
    try {
      await second.listening;
      expect(await fs.readlink(path.join(first.dataDir, 'shimmy.lock'))).toContain(String(second.child.pid));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
