// Start-up's deferred work (issue 16): what no first request needs loads at the proxy's first quiet
// moment, not before the port opens and not on a request's path. The admin app (express) is
// preloaded then, so a `shimmy` command that comes later does not wait for it; a request made right
// after start is answered and recorded with everything else still to come.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { freePort } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { chat, spawnServe, tempDir } from './serve-fixture.js';

describe('`shimmy serve` start-up', { timeout: 120_000 }, () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterAll(() => upstream.close());

  it('preloads the admin app once the proxy is quiet, before anything asks for it', async () => {
    const dataDir = await tempDir();
    await writePointedConfig(dataDir, upstream.url);
    const served = spawnServe({ dataDir, port: await freePort() });
    try {
      await served.listening;
      // Nothing has asked for the admin side: the instance loads it on its own, and says so.
      await expect
        .poll(() => /"info":"admin app loaded"/.test(served.stdout()), { timeout: 60_000, interval: 100 })
        .toBe(true);
      const admin = await connectAdmin(dataDir);
      const { token } = await admin.call('createTool', { body: { name: 'later', limits: { dailyUsd: 5 } } });
      expect((await chat(admin.url, token)).status).toBe(200);
      await expect
        .poll(async () => (await admin.call('listRequests', { query: { limit: '10' } })).records.length, {
          timeout: 10_000,
        })
        .toBe(1);
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });
});
