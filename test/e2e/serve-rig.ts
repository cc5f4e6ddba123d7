// What the dashboard e2e files share: a real `shimmy serve` in a throwaway data dir, pointed at a
// loopback upstream with an OpenAI key from the environment, its admin API, and Chromium launched
// while serve starts (both take seconds; in parallel they take the longer of the two).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { connectAdmin, type AdminClient } from '../../main/cli/admin-client.js';
import { cliEnv, freePort, startServe, type ServeProcess } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { writePointedConfig } from '../support/pointed-config.js';
import { launchChromium } from './chromium.js';

export interface ServeRig {
  upstream: FakeUpstream;
  serve: ServeProcess;
  admin: AdminClient;
  dataDir: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `name` tells the temp dir and the fake key apart in a failed run's leftovers. */
export async function startServeRig(name: string): Promise<ServeRig> {
  const upstream = await startFakeUpstream();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `shimmy-e2e-${name}-`));
  const launching = launchChromium();
  // Whatever fails after this point must not leave Chromium, serve or the upstream running.
  let serve: ServeProcess | undefined;
  try {
    await writePointedConfig(dataDir, upstream.url);
    const { env } = cliEnv();
    env.SHIMMY_KEY_OPENAI = `sk-e2e-${name}-0000`;
    serve = await startServe({ port: await freePort(), dataDir, env });
    const admin = await connectAdmin(dataDir);
    const browser = await launching;
    const started = serve;
    return {
      upstream,
      serve: started,
      admin,
      dataDir,
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await started.stop();
        await upstream.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await launching.then((b) => b.close()).catch(() => undefined);
    await serve?.stop();
    await upstream.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
