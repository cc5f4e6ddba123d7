// Start-up reads the keychain while the rest of the core opens (issue 16: ~30 ms of the first
// proxied 200), yet never binds the port before the keys are read and bound.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startCore } from '../../main/core/start-core.js';
import type { Keychain } from '../../main/core/vault/vault.js';

it('opens the response cache while the keychain read is pending, and listens only after it', async () => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-keychain-overlap-'));
  const cacheDir = path.join(dataDir, 'cache');
  let cacheOpenedDuringRead = false;
  let readDone = false;
  const keychain: Keychain = {
    getPassword: () => Promise.resolve(null),
    setPassword: () => Promise.resolve(),
    deletePassword: () => Promise.resolve(false),
    async findCredentials() {
      // Held until the cache's dir appears (2 s at most): with a sequential start it never does.
      for (let i = 0; i < 100 && !cacheOpenedDuringRead; i++) {
        cacheOpenedDuringRead = await fs.stat(cacheDir).then(
          () => true,
          () => false,
        );
        if (!cacheOpenedDuringRead) await new Promise((r) => setTimeout(r, 20));
      }
      readDone = true;
      return [];
    },
  };
  const core = await startCore({ dataDir, port: 0, keychain, log: () => undefined });
  try {
    expect(readDone).toBe(true);
    expect(cacheOpenedDuringRead).toBe(true);
  } finally {
    await core.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
